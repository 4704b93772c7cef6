using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VNet.Core.Networks;

/// <summary>
/// Turns a <see cref="NetworkSpec"/> into a checked definition: the name, the driver and its
/// options, the subnets with gateway, range and aux addresses. Every check runs before anything is
/// made, and each refusal names the value.
/// </summary>
internal static partial class NetworkDefinition
{
    public static readonly string[] Drivers = { "bridge", "macvlan", "none", "overlay" };
    public const int MaxNameLength = 64;

    // Docker's rule for names of containers and networks: a letter or digit, then letters, digits, '_', '.', '-'.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex NamePattern();

    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw Messages.Error("InvalidNetworkName", VNetErrorCategory.InvalidArgument, name, name ?? "", "it is empty");
        if (name.Length > MaxNameLength)
            throw Messages.Error("InvalidNetworkName", VNetErrorCategory.InvalidArgument, name, name, $"it is longer than {MaxNameLength} characters");
        if (!NamePattern().IsMatch(name))
            throw Messages.Error("InvalidNetworkName", VNetErrorCategory.InvalidArgument, name, name,
                "it must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
    }

    public static string ValidateDriver(string? driver)
    {
        string d = (driver ?? "bridge").ToLowerInvariant();
        if (!Drivers.Contains(d))
            throw Messages.Error("UnknownNetworkDriver", VNetErrorCategory.InvalidArgument, driver, driver, string.Join(", ", Drivers));
        return d;
    }

    /// <summary>The explicit subnets of a spec, at most one per family, each in network form.</summary>
    public static List<IPPrefix> ParseSubnets(string[]? subnets)
    {
        var result = new List<IPPrefix>();
        foreach (var s in subnets ?? Array.Empty<string>())
        {
            var p = ParseSubnet(s, "Subnet");
            if (result.Any(r => r.IsIPv6 == p.IsIPv6))
                throw Messages.Error("TooManySubnets", VNetErrorCategory.InvalidArgument, s, s, p.IsIPv6 ? "IPv6" : "IPv4");
            result.Add(p);
        }
        return result;
    }

    public static IPPrefix ParseSubnet(string text, string parameter)
    {
        IPPrefix p;
        try { p = Validation.Cidr(text, requirePrefix: true); }
        catch (VNetException e)
        {
            throw new VNetException("InvalidSubnet", VNetErrorCategory.InvalidArgument,
                Messages.Format("InvalidSubnet", text, parameter, e.Message), text);
        }
        if (p.HasHostBits)
            throw Messages.Error("InvalidSubnet", VNetErrorCategory.InvalidArgument, text, text, parameter,
                $"it has host bits set; the network is {SubnetMath.Text(p)}");
        int max = p.IsIPv6 ? 124 : 30;
        if (p.PrefixLength > max)
            throw Messages.Error("InvalidSubnet", VNetErrorCategory.InvalidArgument, text, text, parameter,
                $"a /{p.PrefixLength} leaves no room for a gateway and members (at most /{max})");
        return p;
    }

    /// <summary>
    /// Builds the definition from the spec and the subnets (explicit or picked). Gateways, ranges
    /// and aux addresses must fall inside the subnet of their family.
    /// </summary>
    public static ContainerNetwork Build(NetworkSpec spec, string driver, List<IPPrefix> subnets, string id)
    {
        var net = new ContainerNetwork
        {
            Name = spec.Name, Id = id, Driver = driver, Internal = spec.Internal, Created = DateTime.UtcNow,
            Parent = driver == "macvlan" ? spec.Parent : null,
            BridgeName = driver == "bridge" ? spec.BridgeName ?? "br-" + id[..12] : null,
        };
        foreach (var p in subnets.OrderBy(p => p.IsIPv6))
            net.Subnets.Add(new NetworkSubnet { Subnet = SubnetMath.Text(p) });

        foreach (var g in spec.Gateway ?? Array.Empty<string>())
        {
            var a = Validation.Address(g, "Gateway");
            var (sub, p) = SubnetOf(net, a) ?? throw Messages.Error("GatewayOutsideSubnet", VNetErrorCategory.InvalidArgument, g, g, SubnetList(net));
            if (sub.Gateway != null)
                throw Messages.Error("TooManyGateways", VNetErrorCategory.InvalidArgument, g, g, sub.Subnet);
            if (Ipam.Reserved(p, a) is string what)
                throw Messages.Error("GatewayReserved", VNetErrorCategory.InvalidArgument, g, g, what, sub.Subnet);
            sub.Gateway = a.ToString();
        }
        foreach (var sub in net.Subnets)
        {
            var p = Validation.Cidr(sub.Subnet);
            sub.Gateway ??= SubnetMath.ToAddress(SubnetMath.Bounds(p).First + 1, p.Address.AddressFamily).ToString();
        }
        foreach (var r in spec.IPRange ?? Array.Empty<string>())
        {
            var rp = ParseRange(r);
            var sub = net.Subnets.FirstOrDefault(s => SubnetMath.Within(rp, Validation.Cidr(s.Subnet)))
                ?? throw Messages.Error("IPRangeOutsideSubnet", VNetErrorCategory.InvalidArgument, r, r, SubnetList(net));
            if (sub.IPRange != null)
                throw Messages.Error("TooManyIPRanges", VNetErrorCategory.InvalidArgument, r, r, sub.Subnet);
            sub.IPRange = SubnetMath.Text(rp);
        }
        if (spec.AuxAddress != null)
        {
            foreach (var (name, text) in spec.AuxAddress.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var a = Validation.Address(text, "AuxAddress");
                var (sub, _) = SubnetOf(net, a)
                    ?? throw Messages.Error("AuxAddressOutsideSubnet", VNetErrorCategory.InvalidArgument, text, name, text, SubnetList(net));
                sub.AuxAddresses[name] = a.ToString();
            }
        }
        return net;
    }

    private static IPPrefix ParseRange(string text)
    {
        IPPrefix p;
        try { p = Validation.Cidr(text, requirePrefix: true); }
        catch (VNetException e)
        {
            throw new VNetException("InvalidSubnet", VNetErrorCategory.InvalidArgument, Messages.Format("InvalidSubnet", text, "IPRange", e.Message), text);
        }
        // A range with host bits is read as its network, as Docker does (--ip-range 172.28.5.0/24).
        return new IPPrefix(p.Network(), p.PrefixLength);
    }

    public static (NetworkSubnet Subnet, IPPrefix Prefix)? SubnetOf(ContainerNetwork net, IPAddress a)
    {
        foreach (var s in net.Subnets)
        {
            var p = Validation.Cidr(s.Subnet);
            if (p.Contains(a)) return (s, p);
        }
        return null;
    }

    public static string SubnetList(ContainerNetwork net) =>
        net.Subnets.Count == 0 ? "no subnet" : string.Join(", ", net.Subnets.Select(s => s.Subnet));

    /// <summary>
    /// For New -Force: the first setting the user gave that differs from the existing network, as
    /// (setting, existing, asked); null when they match. Settings left out are not compared (a
    /// picked subnet, the default MTU).
    /// </summary>
    public static (string Setting, string Existing, string Asked)? Difference(ContainerNetwork have, ContainerNetwork want, NetworkSpec spec)
    {
        if (have.Driver != want.Driver) return ("Driver", have.Driver, want.Driver);
        if (have.Internal != want.Internal) return ("Internal", have.Internal.ToString(), want.Internal.ToString());
        if (spec.Mtu != null && have.Mtu != want.Mtu) return ("Mtu", have.Mtu.ToString(), want.Mtu.ToString());
        if (spec.Parent != null && have.Parent != want.Parent) return ("Parent", have.Parent ?? "", want.Parent ?? "");
        if (spec.BridgeName != null && have.BridgeName != want.BridgeName) return ("BridgeName", have.BridgeName ?? "", want.BridgeName ?? "");
        if (spec.Subnet is { Length: > 0 })
        {
            foreach (var w in want.Subnets)
            {
                var h = have.Subnets.FirstOrDefault(s => Validation.Cidr(s.Subnet).IsIPv6 == Validation.Cidr(w.Subnet).IsIPv6);
                if (h == null || h.Subnet != w.Subnet) return ("Subnet", SubnetList(have), SubnetList(want));
                if (spec.Gateway is { Length: > 0 } && h.Gateway != w.Gateway) return ("Gateway", h.Gateway ?? "", w.Gateway ?? "");
                if (spec.IPRange is { Length: > 0 } && h.IPRange != w.IPRange) return ("IPRange", h.IPRange ?? "", w.IPRange ?? "");
                if (spec.AuxAddress is { Count: > 0 } && !AuxEqual(h.AuxAddresses, w.AuxAddresses))
                    return ("AuxAddress", AuxText(h.AuxAddresses), AuxText(w.AuxAddresses));
            }
        }
        return null;
    }

    private static bool AuxEqual(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string AuxText(Dictionary<string, string> a) => string.Join(", ", a.OrderBy(k => k.Key).Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>A 64-hex-digit random id, as Docker's network ids.</summary>
    public static string NewId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static AddressFamily FamilyOf(string cidr) => Validation.Cidr(cidr).Address.AddressFamily;
}
