using System.Buffers.Binary;
using System.Net;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Addresses;

/// <summary>An address on an interface, as `ip -br addr` shows it.</summary>
public sealed class NetIPAddress
{
    public string InterfaceName { get; init; } = "";
    public int InterfaceIndex { get; init; }
    public string? Namespace { get; init; }
    public string IPAddress { get; init; } = "";
    public int PrefixLength { get; init; }
    /// <summary>IPv4 or IPv6, as Windows' NetTCPIP names it.</summary>
    public string AddressFamily { get; init; } = "";
    public string Scope { get; init; } = "";
    public string? Broadcast { get; init; }
    public string? Label { get; init; }
    public string[] Flags { get; init; } = Array.Empty<string>();
    public string Cidr => $"{IPAddress}/{PrefixLength}";
    public override string ToString() => Cidr;
}

/// <summary>IPv4 and IPv6 addresses (RTM_*ADDR).</summary>
public sealed class AddressService
{
    private readonly NetContext _ctx;

    internal AddressService(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// Adds an address. For IPv4 the broadcast is set from the prefix (as `ip addr add ... brd +`);
    /// IPv6 addresses skip duplicate detection so they are usable at once (nodad), unless asked.
    /// </summary>
    public NetIPAddress Add(string iface, string cidr, string? ns = null, bool skipDad = true)
    {
        var prefix = Validation.Cidr(cidr);
        var link = _ctx.Links.Get(iface, ns, resolveMaster: false);
        var req = Build(Rtm.NEWADDR, Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_EXCL, link.Index, prefix);
        if (!prefix.IsIPv6 && prefix.PrefixLength < 31)
        {
            byte[] b = prefix.Network().GetAddressBytes();
            uint mask = prefix.PrefixLength == 0 ? 0 : uint.MaxValue << (32 - prefix.PrefixLength);
            uint bc = BinaryPrimitives.ReadUInt32BigEndian(b) | ~mask;
            Span<byte> bb = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bb, bc);
            req.Attr(Ifa.BROADCAST, bb);
        }
        if (prefix.IsIPv6 && skipDad) req.AttrU32(Ifa.FLAGS, Ifa.F_NODAD);
        try
        {
            _ctx.Socket(ns).Request(req, $"add address {prefix} to '{iface}'", cidr);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST)
        {
            throw Messages.Error("AddressExists", VNetErrorCategory.ResourceExists, cidr, prefix.ToString(), iface);
        }
        // Read back through a dump of addresses only: the link's name is already known.
        return List(ns, new Dictionary<int, string> { [link.Index] = iface }, iface, prefix.IsIPv6 ? "IPv6" : "IPv4")
                .FirstOrDefault(a => a.IPAddress == prefix.Address.ToString() && a.PrefixLength == prefix.PrefixLength)
            ?? new NetIPAddress { InterfaceName = iface, InterfaceIndex = link.Index, Namespace = ns, IPAddress = prefix.Address.ToString(), PrefixLength = prefix.PrefixLength, AddressFamily = prefix.IsIPv6 ? "IPv6" : "IPv4" };
    }

    /// <summary>
    /// For a re-run (-Force): the address already on the interface that <paramref name="cidr"/>
    /// names, null when it is not there; ExistsDifferently when it is there with another prefix length.
    /// </summary>
    public NetIPAddress? FindExisting(string iface, string cidr, string? ns = null)
    {
        var prefix = Validation.Cidr(cidr);
        var link = _ctx.Links.Get(iface, ns, resolveMaster: false);
        var here = List(ns, new Dictionary<int, string> { [link.Index] = iface }, iface, prefix.IsIPv6 ? "IPv6" : "IPv4")
            .FirstOrDefault(a => System.Net.IPAddress.Parse(a.IPAddress).Equals(prefix.Address));
        if (here == null || here.PrefixLength == prefix.PrefixLength) return here;
        throw Messages.Error("ExistsDifferently", VNetErrorCategory.ResourceExists, cidr, "Address", here.IPAddress,
            $"on interface '{iface}' in {Links.LinkService.NsText(ns)}", $"its prefix length is {here.PrefixLength}, not {prefix.PrefixLength}");
    }

    /// <summary>Removes an address; false if it was not there (strict: AddressNotFound).</summary>
    public bool Remove(string iface, string cidr, string? ns = null, bool strict = false)
    {
        var prefix = Validation.Cidr(cidr);
        var link = _ctx.Links.TryGet(iface, ns);
        if (link == null)
        {
            if (strict) throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, iface, iface, Links.LinkService.NsText(ns));
            return false;
        }
        // A bare address (no /len) removes it whatever its prefix.
        if (!cidr.Contains('/'))
        {
            var found = List(ns, iface).FirstOrDefault(a => System.Net.IPAddress.Parse(a.IPAddress).Equals(prefix.Address));
            if (found != null) prefix = new IPPrefix(prefix.Address, found.PrefixLength);
        }
        var req = Build(Rtm.DELADDR, Nl.F_REQUEST | Nl.F_ACK, link.Index, prefix);
        try
        {
            _ctx.Socket(ns).Request(req, $"remove address {prefix} from '{iface}'", cidr);
            return true;
        }
        catch (VNetException e) when (e.Errno is Sys.EADDRNOTAVAIL or Sys.ENOENT or Sys.ESRCH)
        {
            if (strict) throw Messages.Error("AddressNotFound", VNetErrorCategory.ObjectNotFound, cidr, prefix.ToString(), iface);
            return false;
        }
    }

    private static NetlinkWriter Build(ushort type, ushort flags, int index, IPPrefix prefix)
    {
        var req = new NetlinkWriter(type, flags);
        var ifa = req.Reserve(Ifa.IfAddrMsgLength);
        ifa[0] = prefix.IsIPv6 ? AddressFamily.INET6 : AddressFamily.INET;
        ifa[1] = (byte)prefix.PrefixLength;
        ifa[3] = 0; // RT_SCOPE_UNIVERSE
        BinaryPrimitives.WriteInt32LittleEndian(ifa.Slice(4), index);
        byte[] addr = prefix.Address.GetAddressBytes();
        req.Attr(Ifa.LOCAL, addr);
        req.Attr(Ifa.ADDRESS, addr);
        return req;
    }

    /// <summary>Addresses of a namespace, optionally of one interface and one family ("IPv4"/"IPv6").</summary>
    public List<NetIPAddress> List(string? ns = null, string? iface = null, string? family = null)
    {
        var links = _ctx.Links.List(ns).ToDictionary(l => l.Index, l => l.Name);
        if (iface != null && !Wildcard.HasWildcard(iface) && !links.ContainsValue(iface))
            throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, iface, iface, Links.LinkService.NsText(ns));
        return List(ns, links, iface, family);
    }

    /// <summary>The address dump itself, with link names from <paramref name="links"/> (only those are needed to filter by one interface).</summary>
    private List<NetIPAddress> List(string? ns, Dictionary<int, string> links, string? iface, string? family)
    {
        var req = new NetlinkWriter(Rtm.GETADDR, Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(Ifa.IfAddrMsgLength)[0] = family switch
        {
            "IPv4" => AddressFamily.INET,
            "IPv6" => AddressFamily.INET6,
            _ => AddressFamily.UNSPEC,
        };
        var result = new List<NetIPAddress>();
        foreach (var m in _ctx.Socket(ns).Dump(req, "list addresses", ns))
        {
            if (m.Type != Rtm.NEWADDR) continue;
            var ifa = m.Fixed(Ifa.IfAddrMsgLength);
            byte fam = ifa[0];
            int plen = ifa[1];
            byte scope = ifa[3];
            int index = BinaryPrimitives.ReadInt32LittleEndian(ifa.Slice(4));
            var a = m.Attributes(Ifa.IfAddrMsgLength);
            var addr = a.Address(Ifa.LOCAL) ?? a.Address(Ifa.ADDRESS);
            if (addr == null) continue;
            string name = links.TryGetValue(index, out var n) ? n : index.ToString();
            if (iface != null && !Wildcard.IsMatch(name, iface)) continue;
            uint flags = a.U32(Ifa.FLAGS) ?? ifa[2];
            result.Add(new NetIPAddress
            {
                InterfaceName = name, InterfaceIndex = index, Namespace = ns, IPAddress = addr.ToString(), PrefixLength = plen,
                AddressFamily = fam == AddressFamily.INET6 ? "IPv6" : "IPv4",
                Scope = scope switch { 0 => "global", 200 => "site", 253 => "link", 254 => "host", _ => scope.ToString() },
                Broadcast = a.Address(Ifa.BROADCAST)?.ToString(),
                Label = a.String(Ifa.LABEL),
                Flags = AddrFlags(flags),
            });
        }
        return result;
    }

    private static string[] AddrFlags(uint f)
    {
        var l = new List<string>();
        if ((f & Ifa.F_SECONDARY) != 0) l.Add("secondary");
        if ((f & Ifa.F_NODAD) != 0) l.Add("nodad");
        if ((f & Ifa.F_DADFAILED) != 0) l.Add("dadfailed");
        if ((f & Ifa.F_TENTATIVE) != 0) l.Add("tentative");
        if ((f & Ifa.F_PERMANENT) != 0) l.Add("permanent");
        return l.ToArray();
    }
}
