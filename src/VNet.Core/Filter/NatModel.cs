using System.Globalization;
using System.Net;

namespace VNet.Core.Filter;

/// <summary>A NAT rule VNet made, as Get-NatRule returns it. <see cref="Id"/> is what Remove-NatRule takes.</summary>
public sealed class NatRule
{
    public string Id { get; init; } = "";
    /// <summary>Masquerade, Snat or Publish.</summary>
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    /// <summary>IPv4 or IPv6.</summary>
    public string AddressFamily { get; init; } = "IPv4";
    public string? Source { get; init; }
    public string? OutInterface { get; init; }
    public string? ToAddress { get; init; }
    public string? Protocol { get; init; }
    /// <summary>The published port or range (host side), e.g. "10080" or "8000-8010".</summary>
    public string? PublishPort { get; init; }
    public string? ToPort { get; init; }
    public string? HostAddress { get; init; }
    public long Packets { get; init; }
    public long Bytes { get; init; }
    /// <summary>How the rule reads in `nft list ruleset`.</summary>
    public string Text { get; init; } = "";
    public override string ToString() => Id;
}

/// <summary>What Add-NatRule asks for.</summary>
public sealed class NatSpec
{
    public string Kind { get; set; } = "Masquerade";
    public string? Source { get; set; }
    public string? OutInterface { get; set; }
    public string? ToAddress { get; set; }
    public string Protocol { get; set; } = "tcp";
    public string? PublishPort { get; set; }
    public string? ToPort { get; set; }
    public string? HostAddress { get; set; }
    public string? Namespace { get; set; }
}

/// <summary>
/// A NAT spec checked and normalised: every value parsed, so what reaches nftables is addresses,
/// numbers and interface names as data, never text the user typed.
/// </summary>
internal sealed record NatPlan(string Id, string Kind, bool V6, IPPrefix? Source, string? OutInterface, IPAddress? ToAddress,
    string Proto, int From, int To, int ToFrom, int ToTo, IPAddress? Host)
{
    /// <summary>The container port for a published port (one port, or the same offset in a range).</summary>
    public int TargetPort(int port) => ToTo == ToFrom ? ToFrom : ToFrom + (port - From);
}

/// <summary>Ids, ports and the names of the maps a publish lives in: one place for each.</summary>
internal static class NatIds
{
    public const string Tag = "vnet:";

    public static string Range(int a, int b) => a == b ? $"{a}" : $"{a}-{b}";

    /// <summary>
    /// A publish's id: "publish-tcp-8080", "publish-udp-5000-5010", "publish-tcp-192.0.2.1-8080";
    /// to an IPv6 container "publish6-tcp-8080", "publish6-tcp-2001:db8::1-8080".
    /// </summary>
    public static string PublishId(string proto, string? host, int from, int to, bool v6 = false) =>
        $"publish{(v6 ? "6" : "")}-{proto}-{(host != null ? host + "-" : "")}{from}{(to != from ? $"-{to}" : "")}";

    /// <summary>The parts of a publish's id, as <see cref="PublishId"/> makes it; null for any other id.</summary>
    public static (string Proto, string? Host, int From, int To, bool V6)? ParsePublishId(string id)
    {
        var parts = id.Split('-');
        if (parts.Length < 3 || parts.Length > 5 || parts[0] is not ("publish" or "publish6") || parts[1] is not ("tcp" or "udp")) return null;
        bool v6 = parts[0] == "publish6";
        int i = 2;
        string? host = null;
        if (parts[i].Contains('.') || parts[i].Contains(':'))
        {
            if (!IPAddress.TryParse(parts[i], out var h) || h.IsIPv4MappedToIPv6 ||
                (h.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) != v6) return null;
            host = h.ToString();
            i++;
        }
        int rest = parts.Length - i;
        if (rest is < 1 or > 2) return null;
        if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int a) || a is < 1 or > 65535) return null;
        int b = a;
        if (rest == 2 && (!int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out b) || b < a || b > 65535)) return null;
        return (parts[1], host, a, b, v6);
    }

    /// <summary>Every address map of publishes (family, protocol, by host address), in the order the skeleton declares them.</summary>
    public static readonly IReadOnlyList<(bool V6, string Proto, bool ByHost)> PublishMaps =
        (from v6 in new[] { false, true } from proto in new[] { "tcp", "udp" } from byHost in new[] { false, true } select (v6, proto, byHost)).ToList();

    /// <summary>
    /// A publish map's key for a port, as nft lays it out: the port (inet_service, 2 bytes in
    /// network order), or the host address and the port as a concatenation (each padded to 4 bytes).
    /// </summary>
    public static byte[] Key(IPAddress? host, int port) =>
        host == null ? NftSetElements.InetService(port) : NftSetElements.Concat(host.GetAddressBytes(), NftSetElements.InetService(port));

    /// <summary>The host address (null in a map by port only) and port in a publish map's key; null for a key of another shape.</summary>
    public static (IPAddress? Host, int Port)? ParseKey(ReadOnlySpan<byte> key, bool v6, bool byHost)
    {
        int alen = v6 ? 16 : 4;
        if (!byHost) return key.Length == 2 ? (null, key[0] << 8 | key[1]) : null;
        if (key.Length != alen + 4) return null;
        return (new IPAddress(key[..alen]), key[alen] << 8 | key[alen + 1]);
    }

    /// <summary>The map holding a publish's target addresses (and counters): by port, or by host address and port.</summary>
    public static string AddressMap(bool v6, string proto, bool byHost) => $"pub{(v6 ? "6" : "")}_{proto}{(byHost ? "_addr" : "")}";

    /// <summary>The map holding the target ports, keyed as the address map.</summary>
    public static string PortMap(bool v6, string proto, bool byHost) => AddressMap(v6, proto, byHost) + "_port";
}
