using System.Buffers.Binary;
using VNet.Core.Netlink;

namespace VNet.Core.Neighbours;

/// <summary>A bridge forwarding-database entry, as `bridge fdb show` prints it.</summary>
public sealed class BridgeFdbEntry
{
    public string MacAddress { get; init; } = "";
    /// <summary>The port (or VXLAN device) the MAC is behind.</summary>
    public string InterfaceName { get; init; } = "";
    public int InterfaceIndex { get; init; }
    public string? Bridge { get; init; }
    /// <summary>For an entry on a VXLAN port: the remote VTEP the MAC is reached through.</summary>
    public string? RemoteVtep { get; init; }
    public int? Vlan { get; init; }
    public int? Vni { get; init; }
    /// <summary>learned (the bridge saw the MAC), static, permanent (the port's own) ...</summary>
    public string State { get; init; } = "";
    /// <summary>self: the device's own table; master: the bridge's table.</summary>
    public string[] Flags { get; init; } = Array.Empty<string>();
    public bool IsLearned { get; init; }
    public string? Namespace { get; init; }
    public override string ToString() => $"{MacAddress} dev {InterfaceName}";
}

/// <summary>The bridge forwarding database (RTM_GETNEIGH with family AF_BRIDGE).</summary>
public sealed class FdbService
{
    private readonly NetContext _ctx;

    internal FdbService(NetContext ctx) => _ctx = ctx;

    public List<BridgeFdbEntry> List(string? ns = null, string? bridge = null, string? iface = null)
    {
        var links = _ctx.Links.List(ns);
        var names = links.ToDictionary(l => l.Index, l => l.Name);
        var masterOf = links.Where(l => l.MasterIndex != null).ToDictionary(l => l.Index, l => l.MasterIndex!.Value);
        int? brIndex = null;
        if (bridge != null)
        {
            var br = links.FirstOrDefault(l => l.Name == bridge)
                ?? throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, bridge, bridge, Links.LinkService.NsText(ns));
            brIndex = br.Index;
        }
        var req = new NetlinkWriter(Rtm.GETNEIGH, Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(Nda.NdMsgLength)[0] = AddressFamily.BRIDGE;
        var result = new List<BridgeFdbEntry>();
        foreach (var m in _ctx.Socket(ns).Dump(req, "list bridge fdb", ns))
        {
            if (m.Type != Rtm.NEWNEIGH) continue;
            var nd = m.Fixed(Nda.NdMsgLength);
            if (nd[0] != AddressFamily.BRIDGE) continue;
            int index = BinaryPrimitives.ReadInt32LittleEndian(nd.Slice(4));
            ushort state = BinaryPrimitives.ReadUInt16LittleEndian(nd.Slice(8));
            byte flags = nd[10];
            var a = m.Attributes(Nda.NdMsgLength);
            var mac = a.Bytes(Nda.LLADDR);
            if (mac == null) continue;
            int? master = a.S32(Nda.MASTER);
            string ifname = names.TryGetValue(index, out var n) ? n : index.ToString();
            string? brName = master is int mi && names.TryGetValue(mi, out var bn) ? bn : null;
            // A bridge's entries: its own table, plus the ports' own tables (a VXLAN port's remote VTEPs).
            if (brIndex != null && master != brIndex && index != brIndex &&
                !(masterOf.TryGetValue(index, out int portMaster) && portMaster == brIndex)) continue;
            if (iface != null && !Wildcard.IsMatch(ifname, iface)) continue;
            bool permanent = (state & Nda.NUD_PERMANENT) != 0;
            bool isStatic = (state & Nda.NUD_NOARP) != 0;
            var fl = new List<string>();
            if ((flags & Nda.NTF_SELF) != 0) fl.Add("self");
            // The kernel marks the bridge's own entries by NDA_MASTER, not always by NTF_MASTER.
            if ((flags & Nda.NTF_MASTER) != 0 || master != null) fl.Add("master");
            if ((flags & Nda.NTF_EXT_LEARNED) != 0) fl.Add("extern_learn");
            result.Add(new BridgeFdbEntry
            {
                MacAddress = Validation.FormatMac(mac),
                InterfaceName = ifname,
                InterfaceIndex = index,
                Bridge = brName ?? (brIndex != null ? bridge : null),
                RemoteVtep = a.Address(Nda.DST)?.ToString(),
                Vlan = a.U16(Nda.VLAN),
                Vni = (int?)a.U32(Nda.VNI),
                State = permanent ? "permanent" : isStatic ? "static" : "learned",
                IsLearned = !permanent && !isStatic,
                Flags = fl.ToArray(),
                Namespace = ns,
            });
        }
        // A MAC the bridge learned behind a VXLAN port is reached through the VTEP the device's own
        // entry names: show it on the bridge's entry too, as `bridge fdb` users look for it there.
        var vteps = result.Where(e => e.RemoteVtep != null).GroupBy(e => (e.InterfaceIndex, e.MacAddress))
            .ToDictionary(g => g.Key, g => g.First().RemoteVtep);
        for (int i = 0; i < result.Count; i++)
        {
            var e = result[i];
            if (e.RemoteVtep == null && vteps.TryGetValue((e.InterfaceIndex, e.MacAddress), out var vtep))
                result[i] = new BridgeFdbEntry
                {
                    MacAddress = e.MacAddress, InterfaceName = e.InterfaceName, InterfaceIndex = e.InterfaceIndex, Bridge = e.Bridge,
                    RemoteVtep = vtep, Vlan = e.Vlan, Vni = e.Vni, State = e.State, IsLearned = e.IsLearned, Flags = e.Flags, Namespace = e.Namespace,
                };
        }
        return result;
    }
    /// <summary>
    /// `bridge fdb replace MAC dev DEVICE dst REMOTE self permanent`: the device's own entry sending
    /// one MAC to one remote VTEP (a VXLAN device). Replacing, so adding what is there is no error.
    /// </summary>
    public void AddRemote(string device, string mac, string remote, string? ns = null)
    {
        var link = _ctx.Links.TryGet(device, ns, resolveMaster: false)
            ?? throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, device, device, Links.LinkService.NsText(ns));
        var dst = Validation.Address(remote, "Remote");
        var req = NdMsg.RemoteFdbEntry(Rtm.NEWNEIGH, (ushort)(Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_REPLACE), link.Index, Validation.MacAddress(mac), dst);
        _ctx.Socket(ns).Request(req, $"add fdb entry {mac} dst {remote} on '{device}'", mac);
    }

    /// <summary>Removes the device's own entry for MAC toward REMOTE; false when there was none.</summary>
    public bool RemoveRemote(string device, string mac, string remote, string? ns = null)
    {
        var link = _ctx.Links.TryGet(device, ns, resolveMaster: false);
        if (link == null) return false;
        var req = NdMsg.RemoteFdbEntry(Rtm.DELNEIGH, Nl.F_REQUEST | Nl.F_ACK, link.Index, Validation.MacAddress(mac, allowMulticast: true, allowZero: true), Validation.Address(remote, "Remote"));
        try
        {
            _ctx.Socket(ns).Request(req, $"remove fdb entry {mac} dst {remote} from '{device}'", mac);
            return true;
        }
        catch (VNetException e) when (e.Errno == Native.Sys.ENOENT)
        {
            return false;
        }
    }

}
