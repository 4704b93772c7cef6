using System.Buffers.Binary;
using System.Net;
using VNet.Core.Netlink;

namespace VNet.Core.Neighbours;

/// <summary>An IP neighbour entry (ARP / NDP cache), as `ip neigh show` prints it.</summary>
public sealed class NeighbourEntry
{
    public string Address { get; init; } = "";
    public string? MacAddress { get; init; }
    public string InterfaceName { get; init; } = "";
    public int InterfaceIndex { get; init; }
    /// <summary>permanent, noarp, reachable, stale, delay, probe, failed, incomplete, none.</summary>
    public string State { get; init; } = "";
    public bool IsPermanent => State == "permanent";
    public string? Namespace { get; init; }
    public override string ToString() => $"{Address} lladdr {MacAddress} dev {InterfaceName} {State}";
}

/// <summary>The IP neighbour table (RTM_*NEIGH with family AF_INET / AF_INET6).</summary>
public sealed class NeighbourService
{
    private readonly NetContext _ctx;

    internal NeighbourService(NetContext ctx) => _ctx = ctx;

    /// <summary>`ip neigh show [dev DEVICE]`, both families.</summary>
    public List<NeighbourEntry> List(string? ns = null, string? device = null)
    {
        var names = _ctx.Links.List(ns).ToDictionary(l => l.Index, l => l.Name);
        int? only = null;
        if (device != null)
        {
            only = names.FirstOrDefault(kv => kv.Value == device).Key;
            if (only == 0) return new List<NeighbourEntry>();
        }
        var req = new NetlinkWriter(Rtm.GETNEIGH, Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(Nda.NdMsgLength)[0] = AddressFamily.UNSPEC;
        var result = new List<NeighbourEntry>();
        foreach (var m in _ctx.Socket(ns).Dump(req, "list neighbours", ns))
        {
            if (m.Type != Rtm.NEWNEIGH) continue;
            var nd = m.Fixed(Nda.NdMsgLength);
            if (nd[0] != AddressFamily.INET && nd[0] != AddressFamily.INET6) continue;
            int index = BinaryPrimitives.ReadInt32LittleEndian(nd.Slice(4));
            if (only != null && index != only) continue;
            ushort state = BinaryPrimitives.ReadUInt16LittleEndian(nd.Slice(8));
            var a = m.Attributes(Nda.NdMsgLength);
            var dst = a.Address(Nda.DST);
            if (dst == null) continue;
            var mac = a.Bytes(Nda.LLADDR);
            result.Add(new NeighbourEntry
            {
                Address = dst.ToString(),
                MacAddress = mac is { Length: 6 } ? Validation.FormatMac(mac) : null,
                InterfaceName = names.TryGetValue(index, out var n) ? n : index.ToString(),
                InterfaceIndex = index,
                State = StateText(state),
                Namespace = ns,
            });
        }
        return result;
    }

    /// <summary>`ip neigh replace ADDRESS lladdr MAC dev DEVICE nud permanent`: adding what is there is no error.</summary>
    public void AddPermanent(string device, string address, string mac, string? ns = null)
    {
        var link = _ctx.Links.TryGet(device, ns, resolveMaster: false)
            ?? throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, device, device, Links.LinkService.NsText(ns));
        var ip = Validation.Address(address, "Address");
        var req = Entry(Rtm.NEWNEIGH, (ushort)(Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_REPLACE), link.Index, ip, Validation.MacAddress(mac), Nda.NUD_PERMANENT);
        _ctx.Socket(ns).Request(req, $"add neighbour {address} on '{device}'", address);
    }

    /// <summary>`ip neigh del ADDRESS dev DEVICE`; false when there was none.</summary>
    public bool Remove(string device, string address, string? ns = null)
    {
        var link = _ctx.Links.TryGet(device, ns, resolveMaster: false);
        if (link == null) return false;
        var req = Entry(Rtm.DELNEIGH, Nl.F_REQUEST | Nl.F_ACK, link.Index, Validation.Address(address, "Address"), null, 0);
        try
        {
            _ctx.Socket(ns).Request(req, $"remove neighbour {address} from '{device}'", address);
            return true;
        }
        catch (VNetException e) when (e.Errno == Native.Sys.ENOENT)
        {
            return false;
        }
    }

    private static NetlinkWriter Entry(ushort type, ushort flags, int ifindex, IPAddress ip, byte[]? mac, ushort state)
    {
        var req = new NetlinkWriter(type, flags);
        var nd = req.Reserve(Nda.NdMsgLength);
        nd[0] = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamily.INET6 : AddressFamily.INET;
        BinaryPrimitives.WriteInt32LittleEndian(nd.Slice(4), ifindex);
        BinaryPrimitives.WriteUInt16LittleEndian(nd.Slice(8), state);
        req.Attr(Nda.DST, ip.GetAddressBytes());
        if (mac != null) req.Attr(Nda.LLADDR, mac);
        return req;
    }

    private static string StateText(ushort s) =>
        (s & Nda.NUD_PERMANENT) != 0 ? "permanent" : (s & Nda.NUD_NOARP) != 0 ? "noarp" : (s & Nda.NUD_REACHABLE) != 0 ? "reachable"
        : (s & Nda.NUD_STALE) != 0 ? "stale" : (s & Nda.NUD_DELAY) != 0 ? "delay" : (s & Nda.NUD_PROBE) != 0 ? "probe"
        : (s & Nda.NUD_FAILED) != 0 ? "failed" : (s & Nda.NUD_INCOMPLETE) != 0 ? "incomplete" : "none";
}
