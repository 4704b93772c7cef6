using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VNet.Core;

/// <summary>An address with its prefix length, as in 198.51.100.1/24.</summary>
public readonly record struct IPPrefix(IPAddress Address, int PrefixLength)
{
    public bool IsIPv6 => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    public int MaxPrefix => IsIPv6 ? 128 : 32;
    public override string ToString() => $"{Address}/{PrefixLength}";

    /// <summary>The network address (host bits cleared).</summary>
    public IPAddress Network()
    {
        byte[] b = Address.GetAddressBytes();
        for (int i = 0; i < b.Length; i++)
        {
            int bits = Math.Clamp(PrefixLength - i * 8, 0, 8);
            b[i] &= (byte)(0xff << (8 - bits));
        }
        return new IPAddress(b);
    }

    public bool HasHostBits => !Network().Equals(Address);

    public bool Contains(IPAddress a)
    {
        if (a.AddressFamily != Address.AddressFamily) return false;
        return new IPPrefix(a, PrefixLength).Network().Equals(Network());
    }
}

/// <summary>
/// Checks made before anything reaches the kernel, so that bad input fails with a message naming
/// the value and nothing is half-made. The rules follow the kernel's own (dev_valid_name, IFNAMSIZ).
/// </summary>
public static class Validation
{
    public const int IfNameSize = 16; // IFNAMSIZ, including the terminating NUL
    public const int MinMtu = 68, MaxMtu = 65535;

    public static void LinkName(string? name, string parameter = "Name")
    {
        if (string.IsNullOrEmpty(name))
            throw Messages.Error("InvalidLinkName", VNetErrorCategory.InvalidArgument, name, name ?? "", parameter, "it is empty");
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > IfNameSize - 1)
            throw Messages.Error("LinkNameTooLong", VNetErrorCategory.InvalidArgument, name, name, bytes, IfNameSize - 1);
        if (name == "." || name == "..")
            throw Messages.Error("InvalidLinkName", VNetErrorCategory.InvalidArgument, name, name, parameter, "'.' and '..' are reserved");
        foreach (char c in name)
        {
            if (c == '/' || c == ':' || char.IsWhiteSpace(c) || char.IsControl(c))
                throw Messages.Error("InvalidLinkName", VNetErrorCategory.InvalidArgument, name, name, parameter,
                    $"it contains '{Printable(c)}' (no '/', ':' or whitespace)");
        }
    }

    public static void NamespaceName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw Messages.Error("InvalidNamespaceName", VNetErrorCategory.InvalidArgument, name, name ?? "", "it is empty");
        if (name == "." || name == ".." || name.Contains(".."))
            throw Messages.Error("InvalidNamespaceName", VNetErrorCategory.InvalidArgument, name, name, "it contains '..'");
        if (Encoding.UTF8.GetByteCount(name) > 255)
            throw Messages.Error("InvalidNamespaceName", VNetErrorCategory.InvalidArgument, name, name, "it is longer than 255 bytes");
        foreach (char c in name)
        {
            if (c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))
                throw Messages.Error("InvalidNamespaceName", VNetErrorCategory.InvalidArgument, name, name,
                    $"it contains '{Printable(c)}' (a namespace name is a file name under /run/netns: no '/' or whitespace)");
        }
    }

    public static void Mtu(int mtu)
    {
        if (mtu < MinMtu || mtu > MaxMtu)
            throw Messages.Error("InvalidMtu", VNetErrorCategory.InvalidArgument, mtu, mtu, MinMtu, MaxMtu);
    }

    /// <summary>Parses "a.b.c.d/len" or "x::y/len"; a bare address gets the full-length prefix.</summary>
    public static IPPrefix Cidr(string? text, bool requirePrefix = false)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Messages.Error("InvalidCidr", VNetErrorCategory.InvalidArgument, text, text ?? "", "it is empty");
        string s = text.Trim();
        int slash = s.IndexOf('/');
        string addrPart = slash < 0 ? s : s.Substring(0, slash);
        if (!IPAddress.TryParse(addrPart, out var addr) || addrPart.Contains('%') ||
            (addr.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork && addr.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) ||
            (addr.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && addrPart.Count(ch => ch == '.') != 3))
            throw Messages.Error("InvalidCidr", VNetErrorCategory.InvalidArgument, text, text, $"'{addrPart}' is not an IPv4 or IPv6 address");
        int max = addr.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0)
        {
            string p = s.Substring(slash + 1);
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
                throw Messages.Error("InvalidPrefixLength", VNetErrorCategory.InvalidArgument, text, text, p, max);
        }
        else if (requirePrefix)
        {
            throw Messages.Error("InvalidCidr", VNetErrorCategory.InvalidArgument, text, text, "a prefix length is required (for example /24)");
        }
        return new IPPrefix(addr, prefix);
    }

    public static IPAddress Address(string? text, string parameter)
    {
        if (text != null && IPAddress.TryParse(text.Trim(), out var a) && !text.Contains('%') &&
            (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Count(ch => ch == '.') == 3))
            return a;
        throw Messages.Error("InvalidIPAddress", VNetErrorCategory.InvalidArgument, text, text ?? "", parameter);
    }

    /// <summary>
    /// Parses a MAC written aa:bb:cc:dd:ee:ff (or with '-'); rejects multicast addresses and the
    /// all-zeros address for a device (the kernel answers EADDRNOTAVAIL, which names nothing).
    /// </summary>
    public static byte[] MacAddress(string? text, bool allowMulticast = false, bool allowZero = false)
    {
        var parts = (text ?? "").Trim().Split(':', '-');
        var mac = new byte[6];
        bool ok = parts.Length == 6;
        for (int i = 0; ok && i < 6; i++)
            ok = parts[i].Length is 1 or 2 && byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out mac[i]);
        if (!ok)
            throw Messages.Error("InvalidMacAddress", VNetErrorCategory.InvalidArgument, text, text ?? "", "expected six hex bytes such as 02:42:c6:33:64:0a");
        if (!allowMulticast && (mac[0] & 1) != 0)
            throw Messages.Error("InvalidMacAddress", VNetErrorCategory.InvalidArgument, text, text, "it is a multicast address (lowest bit of the first byte set)");
        if (!allowZero && mac.All(b => b == 0))
            throw Messages.Error("InvalidMacAddress", VNetErrorCategory.InvalidArgument, text, text, "00:00:00:00:00:00 is not an address a device can have");
        return mac;
    }

    /// <summary>A port number from 1 to 65535; the error names the parameter and the value.</summary>
    public static int Port(int port, string parameter = "-Port")
    {
        if (port < 1 || port > 65535) throw PortError(port.ToString(CultureInfo.InvariantCulture), port, parameter);
        return port;
    }

    /// <summary>InvalidPort (the stable id scripts match on), in words that name the parameter and the value.</summary>
    private static VNetException PortError(string text, object target, string parameter) =>
        new("InvalidPort", VNetErrorCategory.InvalidArgument, Messages.Format("InvalidPortValue", text, parameter), target);

    /// <summary>
    /// Parses "80" or "8000-8010" as given to a parameter (-PublishPort, -ToPort); every error names
    /// the parameter and the value as typed, even when that is empty or blank: InvalidPortRange for
    /// what is not PORT or FROM-TO, InvalidPort for a number outside 1..65535.
    /// </summary>
    public static (int From, int To) PortRange(string? text, string parameter)
    {
        var parts = (text ?? "").Split('-');
        if (string.IsNullOrWhiteSpace(text) || parts.Length > 2 || parts.Any(p => p.Trim().Length == 0 || !p.Trim().All(char.IsAsciiDigit)))
            throw Messages.Error("InvalidPortRange", VNetErrorCategory.InvalidArgument, text, text ?? "", parameter);
        int[] ports = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ports[i]) || ports[i] < 1 || ports[i] > 65535)
                throw PortError(text, text, parameter);
        }
        int from = ports[0], to = ports[^1];
        if (to < from) throw Messages.Error("InvalidPortRange", VNetErrorCategory.InvalidArgument, text, text, parameter);
        return (from, to);
    }

    /// <summary>
    /// Two addresses that must be of one family (a tunnel's local and remote ends, a route's
    /// destination and gateway): the error names both, with the message <paramref name="messageKey"/>.
    /// </summary>
    public static void SameFamily(IPAddress a, string aText, IPAddress b, string bText, string messageKey)
    {
        if (a.AddressFamily == b.AddressFamily) return;
        throw new VNetException("AddressFamilyMismatch", VNetErrorCategory.InvalidArgument,
            Messages.Format(messageKey, aText, bText, Family(a), Family(b)), aText);
    }

    public static string Family(IPAddress a) => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    public static string FormatMac(ReadOnlySpan<byte> mac)
    {
        var sb = new StringBuilder(mac.Length * 3);
        for (int i = 0; i < mac.Length; i++)
        {
            if (i > 0) sb.Append(':');
            sb.Append(mac[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Printable(char c) => char.IsWhiteSpace(c) || char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
