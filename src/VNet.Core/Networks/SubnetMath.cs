using System.Net;
using System.Net.Sockets;

namespace VNet.Core.Networks;

/// <summary>
/// Addresses as 128-bit numbers, so IPAM walks IPv4 and IPv6 ranges with the same code (an IPv6
/// /64 does not fit a long).
/// </summary>
internal static class SubnetMath
{
    public static UInt128 ToNumber(IPAddress a)
    {
        UInt128 n = 0;
        foreach (byte b in a.GetAddressBytes()) n = (n << 8) | b;
        return n;
    }

    public static IPAddress ToAddress(UInt128 n, AddressFamily family)
    {
        int len = family == AddressFamily.InterNetworkV6 ? 16 : 4;
        var b = new byte[len];
        for (int i = len - 1; i >= 0; i--) { b[i] = (byte)(n & 0xff); n >>= 8; }
        return new IPAddress(b);
    }

    /// <summary>First and last address of a prefix (network and broadcast for IPv4).</summary>
    public static (UInt128 First, UInt128 Last) Bounds(IPPrefix p)
    {
        int bits = p.MaxPrefix - p.PrefixLength;
        UInt128 first = ToNumber(p.Network());
        UInt128 size = bits >= 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        return (first, first + size);
    }

    public static bool Overlaps(IPPrefix a, IPPrefix b) =>
        a.IsIPv6 == b.IsIPv6 && (a.Contains(b.Network()) || b.Contains(a.Network()));

    /// <summary>Whether <paramref name="inner"/> lies wholly inside <paramref name="outer"/>.</summary>
    public static bool Within(IPPrefix inner, IPPrefix outer) =>
        inner.IsIPv6 == outer.IsIPv6 && inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.Network());

    /// <summary>The prefix in network form, e.g. 198.51.100.0/24.</summary>
    public static string Text(IPPrefix p) => $"{p.Network()}/{p.PrefixLength}";
}
