using System.Buffers.Binary;
using System.Net;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Links;

/// <summary>What to create: `ip link add NAME type vxlan id VNI [local] [remote|group] [dev] dstport PORT`.</summary>
public sealed class VxlanSpec
{
    public string Name { get; set; } = "";
    public int Vni { get; set; }
    public string? Local { get; set; }
    /// <summary>A unicast remote VTEP (the default destination; more are added with AddPeer).</summary>
    public string? Remote { get; set; }
    /// <summary>A multicast group instead of a remote.</summary>
    public string? Group { get; set; }
    /// <summary>The underlay device (enp0s8 in seed 004).</summary>
    public string? Device { get; set; }
    /// <summary>UDP port. VNet defaults to IANA's 4789; the kernel's own default is 8472 (the pre-IANA Linux port).</summary>
    public int Port { get; set; } = VxlanService.IanaPort;
    public string? Bridge { get; set; }
    public bool Learning { get; set; } = true;
    /// <summary>ARP/ND proxy: the device answers ARP and neighbour solicitations itself from its neighbour table (`proxy`), so nothing is flooded.</summary>
    public bool Proxy { get; set; }
    /// <summary>The device's own MAC (random when null): an overlay keeps one stable MAC per host.</summary>
    public string? MacAddress { get; set; }
    public int? Mtu { get; set; }
    public string? Namespace { get; set; }
}

/// <summary>A VXLAN tunnel device, as `ip -d link show type vxlan` shows it.</summary>
public sealed class VxlanTunnel
{
    public string Name { get; init; } = "";
    public int Index { get; init; }
    public string? Namespace { get; init; }
    public int Vni { get; init; }
    public string? Local { get; init; }
    public string? Remote { get; init; }
    public string? Group { get; init; }
    public string? Device { get; init; }
    public int Port { get; init; }
    public bool Learning { get; init; }
    public int Mtu { get; init; }
    public string State { get; init; } = "";
    public string? Bridge { get; init; }
    public string? MacAddress { get; init; }
    /// <summary>Links whose MTU VNet lowered so that full-size frames fit in the tunnel (Create only).</summary>
    public string[] MtuAdjusted { get; init; } = Array.Empty<string>();
    public override string ToString() => $"{Name} vni {Vni}";
}

/// <summary>A forwarding entry on a VXLAN device: which VTEP a MAC (or, for 00:00:00:00:00:00, all flooded traffic) goes to.</summary>
public sealed class VxlanPeer
{
    public string Tunnel { get; init; } = "";
    public string Remote { get; init; } = "";
    public string MacAddress { get; init; } = "";
    /// <summary>True for head-end replication entries (all-zeros MAC): broadcast and unknown traffic go to this VTEP.</summary>
    public bool Flood { get; init; }
    public string State { get; init; } = "";
    public string? Namespace { get; init; }
    public override string ToString() => $"{MacAddress} dst {Remote} dev {Tunnel}";
}

/// <summary>VXLAN tunnels and their peers (IFLA_VXLAN_* on RTM_NEWLINK; FDB entries with NTF_SELF on the device).</summary>
public sealed class VxlanService
{
    public const int IanaPort = 4789;
    public const int MaxVni = 16777215;
    /// <summary>Outer IPv4 + UDP + VXLAN + inner Ethernet: 20 + 8 + 8 + 14.</summary>
    public const int OverheadIPv4 = 50, OverheadIPv6 = 70;

    private const ushort ID = 1, GROUP = 2, LINK = 3, LOCAL = 4, TTL = 5, LEARNING = 7, PROXY = 11, PORT = 15, GROUP6 = 16, LOCAL6 = 17;
    private static readonly byte[] ZeroMac = new byte[6];

    private readonly NetContext _ctx;

    internal VxlanService(NetContext ctx) => _ctx = ctx;

    public static void CheckVni(int vni)
    {
        if (vni < 1 || vni > MaxVni)
            throw Messages.Error("InvalidVni", VNetErrorCategory.InvalidArgument, vni, vni, MaxVni);
    }

    public static void CheckPort(int port) => Validation.Port(port, "-Port");

    /// <summary>
    /// Creates the tunnel. Its MTU is the underlay's minus the encapsulation unless given; when it
    /// joins a bridge, the bridge's other ports and the container ends of their veths are lowered
    /// to the same MTU, so that packets near 1500 bytes are not silently dropped. Any failure after
    /// the device exists deletes it again.
    /// </summary>
    public VxlanTunnel Create(VxlanSpec spec)
    {
        Validation.LinkName(spec.Name);
        CheckVni(spec.Vni);
        CheckPort(spec.Port);
        if (spec.Mtu is int m) Validation.Mtu(m);
        if (spec.Remote != null && spec.Group != null)
            throw Messages.Error("RemoteAndGroup", VNetErrorCategory.InvalidArgument, spec.Remote, spec.Remote, spec.Group);
        var local = spec.Local != null ? Validation.Address(spec.Local, "Local") : null;
        var remote = spec.Remote != null ? Validation.Address(spec.Remote, "Remote") : null;
        var group = spec.Group != null ? Validation.Address(spec.Group, "Group") : null;
        if (remote != null && IsMulticast(remote))
            throw Messages.Error("RemoteIsMulticast", VNetErrorCategory.InvalidArgument, spec.Remote, spec.Remote);
        if (group != null && !IsMulticast(group))
            throw Messages.Error("GroupNotMulticast", VNetErrorCategory.InvalidArgument, spec.Group, spec.Group);
        var dst = remote ?? group;
        bool v6 = (dst ?? local)?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (local != null && dst != null)
            Validation.SameFamily(local, spec.Local!, dst, (spec.Remote ?? spec.Group)!, "VxlanAddressFamilyMismatch");
        if (group != null && spec.Device == null)
            throw Messages.Error("GroupNeedsDevice", VNetErrorCategory.InvalidArgument, spec.Group, spec.Group);

        NetLink? device = null;
        if (spec.Device != null)
        {
            device = _ctx.Links.TryGet(spec.Device, spec.Namespace)
                ?? throw Messages.Error("UnderlayNotFound", VNetErrorCategory.ObjectNotFound, spec.Device, spec.Device, LinkService.NsText(spec.Namespace));
        }
        else if (local != null)
        {
            // The underlay is the device that holds the local address.
            var owner = _ctx.Addresses.List(spec.Namespace).FirstOrDefault(a => IPAddress.Parse(a.IPAddress).Equals(local));
            if (owner != null) device = _ctx.Links.TryGet(owner.InterfaceName, spec.Namespace);
        }
        NetLink? bridge = spec.Bridge != null ? _ctx.Links.GetBridge(spec.Bridge, spec.Namespace) : null;
        int mtu = spec.Mtu ?? (device?.Mtu ?? 1500) - (v6 ? OverheadIPv6 : OverheadIPv4);
        Validation.Mtu(mtu);

        try
        {
            _ctx.Links.CreateSimple(spec.Name, "vxlan", spec.Namespace, mtu, spec.MacAddress, up: false, infoData: w =>
            {
                w.AttrU32(ID, (uint)spec.Vni);
                if (dst != null) w.Attr(v6 ? GROUP6 : GROUP, dst.GetAddressBytes());
                if (local != null) w.Attr(v6 ? LOCAL6 : LOCAL, local.GetAddressBytes());
                if (device != null) w.AttrU32(LINK, (uint)device.Index);
                w.AttrBe16(PORT, (ushort)spec.Port);
                w.AttrU8(LEARNING, spec.Learning ? (byte)1 : (byte)0);
                if (spec.Proxy) w.AttrU8(PROXY, 1);
            });
        }
        catch (VNetException e) when (e.ErrorId == "LinkExists" && _ctx.Links.TryGet(spec.Name, spec.Namespace, resolveMaster: false) == null)
        {
            // The kernel answers EEXIST too when another tunnel already carries this VNI on this port.
            var holder = List(spec.Namespace).FirstOrDefault(t => t.Vni == spec.Vni && t.Port == spec.Port)
                ?? List(spec.Namespace).FirstOrDefault(t => t.Vni == spec.Vni);
            if (holder == null) throw;
            throw Messages.Error("VniInUse", VNetErrorCategory.ResourceExists, spec.Vni, spec.Vni, holder.Name, holder.Port, LinkService.NsText(spec.Namespace));
        }
        var adjusted = new List<string>();
        try
        {
            if (bridge != null)
            {
                adjusted.AddRange(_ctx.Bridges.FitToMtu(bridge.Name, mtu, spec.Namespace));
                _ctx.Links.Set(spec.Name, new LinkChange { Master = bridge.Name }, spec.Namespace);
            }
            _ctx.Links.SetUp(spec.Name, true, spec.Namespace);
        }
        catch
        {
            _ctx.Links.Remove(spec.Name, spec.Namespace);
            throw;
        }
        var t = Get(spec.Name, spec.Namespace);
        return new VxlanTunnel
        {
            Name = t.Name, Index = t.Index, Namespace = t.Namespace, Vni = t.Vni, Local = t.Local, Remote = t.Remote, Group = t.Group,
            Device = t.Device, Port = t.Port, Learning = t.Learning, Mtu = t.Mtu, State = t.State, Bridge = t.Bridge,
            MacAddress = t.MacAddress, MtuAdjusted = adjusted.ToArray(),
        };
    }

    /// <summary>Kept for callers written before the bridge service took this job: see <see cref="BridgeService.FitToMtu"/>.</summary>
    public List<string> FitBridgeToMtu(string bridge, int mtu, string? ns) => _ctx.Bridges.FitToMtu(bridge, mtu, ns);

    public List<VxlanTunnel> List(string? ns = null, string? namePattern = null)
    {
        var raw = _ctx.Links.ListWithData(ns, "vxlan");
        Dictionary<int, string>? names = null;
        var result = new List<VxlanTunnel>();
        foreach (var (l, d) in raw)
        {
            if (namePattern != null && !Wildcard.IsMatch(l.Name, namePattern)) continue;
            var data = d ?? AttributeSet.Empty;
            int? link = (int?)data.U32(LINK);
            string? dev = null;
            if (link is int li && li > 0)
            {
                names ??= _ctx.Links.List(ns).ToDictionary(x => x.Index, x => x.Name);
                dev = names.TryGetValue(li, out var n) ? n : li.ToString();
            }
            var dst = data.Address(GROUP) ?? data.Address(GROUP6);
            bool mcast = dst != null && IsMulticast(dst);
            result.Add(new VxlanTunnel
            {
                Name = l.Name, Index = l.Index, Namespace = ns, Vni = (int)(data.U32(ID) ?? 0),
                Local = (data.Address(LOCAL) ?? data.Address(LOCAL6))?.ToString(),
                Remote = mcast ? null : dst?.ToString(), Group = mcast ? dst?.ToString() : null,
                Device = dev, Port = data.Be16(PORT) ?? 0, Learning = (data.U8(LEARNING) ?? 0) != 0,
                Mtu = l.Mtu, State = l.State, Bridge = l.Master, MacAddress = l.MacAddress,
            });
        }
        return result;
    }

    public VxlanTunnel Get(string name, string? ns = null) =>
        List(ns, name).FirstOrDefault(t => t.Name == name)
        ?? throw (_ctx.Links.TryGet(name, ns) is NetLink other
            ? Messages.Error("NotAVxlan", VNetErrorCategory.InvalidArgument, name, name, other.Kind)
            : Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, LinkService.NsText(ns)));

    /// <summary>
    /// Changes what the kernel lets change on a live tunnel (learning, MTU, bridge); the VNI,
    /// addresses and port are fixed at creation (the kernel refuses them, and its words are passed on).
    /// </summary>
    public VxlanTunnel Set(string name, string? ns, bool? learning = null, int? mtu = null, string? bridge = null)
    {
        var t = Get(name, ns);
        if (learning is bool l)
        {
            var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
            IfInfoMsg.Write(req, t.Index);
            int li = req.BeginNested(Ifla.LINKINFO);
            req.AttrString(Ifla.INFO_KIND, "vxlan");
            int d = req.BeginNested(Ifla.INFO_DATA);
            req.AttrU8(LEARNING, l ? (byte)1 : (byte)0);
            req.EndNested(d);
            req.EndNested(li);
            _ctx.Socket(ns).Request(req, $"change vxlan '{name}'", name);
        }
        if (mtu != null || bridge != null)
            _ctx.Links.Set(name, new LinkChange { Mtu = mtu, Master = bridge }, ns);
        if (bridge is { Length: > 0 }) _ctx.Bridges.FitToMtu(bridge, mtu ?? t.Mtu, ns);
        return Get(name, ns);
    }

    public bool Remove(string name, string? ns = null, bool strict = false)
    {
        var link = _ctx.Links.TryGet(name, ns);
        if (link == null)
        {
            if (strict) throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, LinkService.NsText(ns));
            return false;
        }
        if (link.Kind != "vxlan") throw Messages.Error("NotAVxlan", VNetErrorCategory.InvalidArgument, name, name, link.Kind);
        return _ctx.Links.Remove(name, ns, strict);
    }

    /// <summary>
    /// Adds a forwarding entry: without a MAC, a head-end replication entry (00:00:00:00:00:00,
    /// appended, so several remotes each get a copy of flooded traffic); with a MAC, that MAC is
    /// sent to that VTEP. The tunnel is not recreated.
    /// </summary>
    public VxlanPeer AddPeer(string tunnel, string remote, string? mac = null, string? ns = null)
    {
        var t = Get(tunnel, ns);
        var dst = Validation.Address(remote, "Remote");
        // The tunnel's own family (from its local or default remote): the kernel would take a peer of
        // the other family and fail only as KernelRejected, naming nothing.
        var own = t.Local ?? t.Remote ?? t.Group;
        if (own != null) Validation.SameFamily(dst, remote, IPAddress.Parse(own), tunnel, "PeerAddressFamilyMismatch");
        byte[] lladdr = mac != null ? Validation.MacAddress(mac, allowZero: true) : ZeroMac;
        var req = NdMsg.RemoteFdbEntry(Rtm.NEWNEIGH, (ushort)(Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | (mac == null ? Nl.F_APPEND : Nl.F_REPLACE)), t.Index, lladdr, dst);
        try
        {
            _ctx.Socket(ns).Request(req, $"add peer {remote} to '{tunnel}'", remote);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST)
        {
            throw Messages.Error("PeerExists", VNetErrorCategory.ResourceExists, remote, remote, tunnel);
        }
        return new VxlanPeer { Tunnel = tunnel, Remote = dst.ToString(), MacAddress = Validation.FormatMac(lladdr), Flood = mac == null, State = "permanent", Namespace = ns };
    }

    public List<VxlanPeer> ListPeers(string tunnel, string? ns = null)
    {
        var t = Get(tunnel, ns);
        // The device's own entries (NTF_SELF); the bridge's copies of learned MACs are not peers.
        return _ctx.Fdb.List(ns).Where(e => e.InterfaceIndex == t.Index && e.RemoteVtep != null && e.Flags.Contains("self"))
            .Select(e => new VxlanPeer
            {
                Tunnel = tunnel, Remote = e.RemoteVtep!, MacAddress = e.MacAddress, Flood = e.MacAddress == "00:00:00:00:00:00",
                State = e.State, Namespace = ns,
            }).ToList();
    }

    /// <summary>
    /// Removes a peer: without a MAC, every entry toward that VTEP (its flood entry and the MACs
    /// learned or added behind it), so its traffic stops; with a MAC, that one entry. False when
    /// there was none (strict: an error).
    /// </summary>
    public bool RemovePeer(string tunnel, string remote, string? mac = null, string? ns = null, bool strict = false)
    {
        var t = Get(tunnel, ns);
        var dst = Validation.Address(remote, "Remote");
        // The kernel keeps the remote given at creation as the device's default destination and
        // ignores requests to delete it; say so rather than pretend it is gone.
        if (mac == null && t.Remote != null && IPAddress.Parse(t.Remote).Equals(dst))
            throw Messages.Error("PeerIsDefaultRemote", VNetErrorCategory.InvalidOperation, remote, remote, tunnel);
        var targets = ListPeers(tunnel, ns).Where(p => IPAddress.Parse(p.Remote).Equals(dst) &&
            (mac == null || p.MacAddress == Validation.FormatMac(Validation.MacAddress(mac, allowZero: true)))).ToList();
        if (targets.Count == 0)
        {
            if (strict) throw Messages.Error("PeerNotFound", VNetErrorCategory.ObjectNotFound, remote, remote, tunnel);
            return false;
        }
        foreach (var p in targets)
        {
            var req = NdMsg.RemoteFdbEntry(Rtm.DELNEIGH, Nl.F_REQUEST | Nl.F_ACK, t.Index, Validation.MacAddress(p.MacAddress, allowMulticast: true, allowZero: true), dst);
            try
            {
                _ctx.Socket(ns).Request(req, $"remove peer {remote} from '{tunnel}'", remote);
            }
            catch (VNetException e) when (e.Errno == Sys.ENOENT)
            {
                // A learned entry that aged out meanwhile: gone, as asked.
            }
        }
        return true;
    }


    private static bool IsMulticast(IPAddress a) => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? a.IsIPv6Multicast
        : (a.GetAddressBytes()[0] & 0xf0) == 0xe0;
}
