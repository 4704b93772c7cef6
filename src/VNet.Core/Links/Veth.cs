using System.Buffers.Binary;
using VNet.Core.Namespaces;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Links;

/// <summary>What to create: a veth pair whose two ends may land in two different namespaces.</summary>
public sealed class VethSpec
{
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    public string PeerName { get; set; } = "";
    public string? PeerNamespace { get; set; }
    public int? Mtu { get; set; }
    public string? MacAddress { get; set; }
    public string? PeerMacAddress { get; set; }
    public bool Up { get; set; } = true;
    /// <summary>A bridge (in Namespace) to plug the first end into, in the same request (`ip link add ... master BR`).</summary>
    public string? Bridge { get; set; }
    /// <summary>
    /// Converge instead of failing (New-VethPair -Force): when this very pair exists already (the
    /// two names, each end in its namespace, joined to each other), bring it to the spec (ends up,
    /// first end on the bridge) and return it. A pair cut short by a kill between the create and
    /// the peer's "up" (the kernel cannot bring the peer up in the create, see Create) is repaired so.
    /// </summary>
    public bool ReuseExisting { get; set; }
}

/// <summary>A veth end and what is on the other side of it, across namespaces.</summary>
public sealed class VethPair
{
    public string Name { get; init; } = "";
    public string? Namespace { get; init; }
    public int Index { get; init; }
    public string? MacAddress { get; init; }
    public int Mtu { get; init; }
    public string State { get; init; } = "";
    public string? Master { get; init; }
    public string? PeerName { get; init; }
    /// <summary>The peer's namespace: its /run/netns name, else a path that opens it; null when it is the caller's own.</summary>
    public string? PeerNamespace { get; init; }
    public ulong? PeerNamespaceInode { get; init; }
    public int? PeerIndex { get; init; }
    public string? PeerMacAddress { get; init; }
    public NetProcess[] Processes { get; init; } = Array.Empty<NetProcess>();
    public NetProcess[] PeerProcesses { get; init; } = Array.Empty<NetProcess>();
    /// <summary>The Docker container this end is in, when there is one (filled by <see cref="VethCables.List"/>).</summary>
    public string? Container { get; init; }
    /// <summary>The Docker container on the far side, when there is one (whose veth is this?).</summary>
    public string? PeerContainer { get; init; }
    public string? PeerContainerId { get; init; }
    /// <summary>False when the far end is in a namespace VNet cannot find (no name, no process, no Docker file).</summary>
    public bool PeerResolved { get; init; }
    public override string ToString() => $"{Name}@{PeerName ?? (PeerIndex is int i ? "if" + i : "?")}";
}

/// <summary>veth pairs: creation in one message with each end in its namespace, and peer resolution across namespaces.</summary>
public sealed class VethService
{
    private readonly NetContext _ctx;

    internal VethService(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// Creates the pair with one RTM_NEWLINK sent in the first end's namespace; the peer is placed
    /// straight into its namespace with IFLA_NET_NS_FD. The kernel makes the pair all or nothing; if
    /// bringing the peer up fails afterwards, the pair is deleted again, so nothing is left half-made.
    /// </summary>
    public VethPair Create(VethSpec spec)
    {
        Validation.LinkName(spec.Name, "Name");
        Validation.LinkName(spec.PeerName, "PeerName");
        if (spec.Mtu is int mtu) Validation.Mtu(mtu);
        byte[]? mac = spec.MacAddress != null ? Validation.MacAddress(spec.MacAddress) : null;
        byte[]? peerMac = spec.PeerMacAddress != null ? Validation.MacAddress(spec.PeerMacAddress) : null;
        var home = _ctx.Resolve(spec.Namespace);
        var peerNs = _ctx.Resolve(spec.PeerNamespace); // fails before anything is made if it does not exist
        bool samens = peerNs.Inode == home.Inode;
        if (samens && spec.Name == spec.PeerName)
            throw Messages.Error("VethEndsShareName", VNetErrorCategory.InvalidArgument, spec.PeerName, spec.PeerName, LinkService.NsText(spec.Namespace));
        int? master = null;
        if (spec.Bridge != null)
        {
            var br = _ctx.Links.GetBridge(spec.Bridge, spec.Namespace);
            master = br.Index;
            spec.Mtu = BridgeService.FitPortMtu(_ctx, br, spec.Mtu, spec.Namespace);
        }

        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_EXCL, 256);
        IfInfoMsg.Write(req, up: spec.Up ? true : null);
        req.AttrString(Ifla.IFNAME, spec.Name);
        if (spec.Mtu is int m1) req.AttrU32(Ifla.MTU, (uint)m1);
        if (mac != null) req.Attr(Ifla.ADDRESS, mac);
        if (master is int m) req.AttrU32(Ifla.MASTER, (uint)m);
        int li = req.BeginNested(Ifla.LINKINFO);
        req.AttrString(Ifla.INFO_KIND, "veth");
        int data = req.BeginNested(Ifla.INFO_DATA);
        int peer = req.BeginNested(Ifla.VETH_INFO_PEER);
        // The peer cannot be brought up inside this message: the kernel opens it before the two ends
        // are joined and answers ENOTCONN. It comes up in a second message below.
        IfInfoMsg.Write(req);
        req.AttrString(Ifla.IFNAME, spec.PeerName);
        if (spec.Mtu is int m2) req.AttrU32(Ifla.MTU, (uint)m2);
        if (peerMac != null) req.Attr(Ifla.ADDRESS, peerMac);
        if (!samens) req.AttrU32(Ifla.NET_NS_FD, (uint)peerNs.Fd);
        req.EndNested(peer);
        req.EndNested(data);
        req.EndNested(li);
        try
        {
            _ctx.Socket(home).Request(req, $"create veth pair '{spec.Name}'/'{spec.PeerName}'", spec.Name);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST && spec.ReuseExisting && Existing(spec, samens) is { } pair)
        {
            return Converge(spec, pair.A, pair.B, master, samens, peerNs);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST)
        {
            // Say which of the two names is taken.
            bool first = _ctx.Links.TryGet(spec.Name, spec.Namespace) != null;
            string taken = first ? spec.Name : spec.PeerName;
            throw Messages.Error("LinkExists", VNetErrorCategory.ResourceExists, taken, taken,
                LinkService.NsText(first ? spec.Namespace : spec.PeerNamespace));
        }
        if (spec.Up)
        {
            try
            {
                _ctx.Links.SetUp(spec.PeerName, true, spec.PeerNamespace);
            }
            catch
            {
                _ctx.Links.Remove(spec.Name, spec.Namespace); // takes the peer with it
                throw;
            }
        }
        // Read back without naming the master a second time: it is the bridge asked for (a Connect per
        // container pays for every request here).
        var a = _ctx.Links.Get(spec.Name, spec.Namespace, resolveMaster: false);
        var b = _ctx.Links.Get(spec.PeerName, spec.PeerNamespace, resolveMaster: false);
        return new VethPair
        {
            Name = a.Name, Namespace = spec.Namespace, Index = a.Index, MacAddress = a.MacAddress, Mtu = a.Mtu, State = a.State, Master = master != null ? spec.Bridge : null,
            PeerName = b.Name, PeerNamespace = samens ? spec.Namespace : spec.PeerNamespace, PeerNamespaceInode = peerNs.Inode,
            PeerIndex = b.Index, PeerMacAddress = b.MacAddress, PeerResolved = true,
        };
    }

    /// <summary>The two ends of this spec's pair when they exist and are joined to each other, else null.</summary>
    private (NetLink A, NetLink B)? Existing(VethSpec spec, bool samens)
    {
        var a = _ctx.Links.TryGet(spec.Name, spec.Namespace, resolveMaster: false);
        var b = _ctx.Links.TryGet(spec.PeerName, samens ? spec.Namespace : spec.PeerNamespace, resolveMaster: false);
        if (a is not { Kind: "veth" } || b is not { Kind: "veth" }) return null;
        // Each end names the other's index; across namespaces each also has a link-netns id.
        bool joined = a.LinkIndex == b.Index && b.LinkIndex == a.Index && (samens == (a.LinkNetnsId == null));
        return joined ? (a, b) : null;
    }

    /// <summary>Brings an existing pair to the spec: on the bridge, both ends up.</summary>
    private VethPair Converge(VethSpec spec, NetLink a, NetLink b, int? master, bool samens, NamespaceHandle peerNs)
    {
        string? bNs = samens ? spec.Namespace : spec.PeerNamespace;
        if (master is int m && a.MasterIndex != m) _ctx.Links.SetMaster(a.Index, m, up: spec.Up && !a.AdminUp, spec.Namespace, a.Name);
        else if (spec.Up && !a.AdminUp) _ctx.Links.SetUp(a.Name, true, spec.Namespace);
        if (spec.Up && !b.AdminUp) _ctx.Links.SetUp(b.Name, true, bNs);
        a = _ctx.Links.Get(spec.Name, spec.Namespace);
        b = _ctx.Links.Get(spec.PeerName, bNs);
        return new VethPair
        {
            Name = a.Name, Namespace = spec.Namespace, Index = a.Index, MacAddress = a.MacAddress, Mtu = a.Mtu, State = a.State, Master = a.Master,
            PeerName = b.Name, PeerNamespace = samens ? spec.Namespace : spec.PeerNamespace, PeerNamespaceInode = peerNs.Inode,
            PeerIndex = b.Index, PeerMacAddress = b.MacAddress, PeerResolved = true,
        };
    }

    /// <summary>
    /// Every veth in a namespace with its peer: name, index, namespace and the processes there. A
    /// peer in another namespace is known to the kernel only by a namespace id (IFLA_LINK_NETNSID);
    /// VNet asks the kernel for the id of every namespace it can find (RTM_GETNSID) to match it.
    /// </summary>
    public List<VethPair> List(string? ns = null, string? namePattern = null)
    {
        var veths = _ctx.Links.List(ns, namePattern, "veth");
        var here = _ctx.Resolve(ns);
        var procs = NamespaceService.ScanProcesses();
        NetProcess[] ProcsOf(ulong ino) => procs.TryGetValue(ino, out var l) ? l.OrderBy(p => p.ProcessId).ToArray() : Array.Empty<NetProcess>();

        List<NetNamespace>? known = null;
        Dictionary<ulong, Docker.DockerContainer>? containers = null;
        var nsidMap = new Dictionary<int, NetNamespace>();
        var result = new List<VethPair>();
        foreach (var v in veths)
        {
            string? peerName = null, peerMac = null, peerNsText = null;
            ulong? peerIno = null;
            bool resolved = false;
            if (v.LinkNetnsId is int nsid && nsid >= 0)
            {
                if (!nsidMap.TryGetValue(nsid, out var peerNs))
                {
                    known ??= _ctx.Namespaces.List();
                    MapNsids(here, known, nsidMap, nsid);
                    nsidMap.TryGetValue(nsid, out peerNs);
                }
                if (peerNs != null)
                {
                    peerIno = peerNs.Inode;
                    // The caller's own namespace is written null, as everywhere else in VNet.
                    peerNsText = peerNs.IsCurrent ? null : peerNs.Namespace;
                    var p = v.LinkIndex is int pi ? _ctx.Links.TryGetByIndex(pi, peerNs.IsCurrent ? null : peerNs.Path) : null;
                    peerName = p?.Name;
                    peerMac = p?.MacAddress;
                    resolved = p != null;
                }
            }
            else if (v.LinkIndex is int pi)
            {
                // Both ends here: the peer lives in the namespace asked about, not the caller's.
                var p = veths.FirstOrDefault(x => x.Index == pi) ?? _ctx.Links.TryGetByIndex(pi, ns);
                peerName = p?.Name;
                peerMac = p?.MacAddress;
                peerIno = here.Inode;
                peerNsText = string.IsNullOrEmpty(ns) ? null : ns;
                resolved = p != null;
            }
            Docker.DockerContainer? container = null;
            if (peerIno is ulong pi2 && peerIno != here.Inode)
            {
                containers ??= Docker.DockerClient.ByNamespaceInode();
                containers.TryGetValue(pi2, out container);
            }
            result.Add(new VethPair
            {
                PeerContainer = container?.Name, PeerContainerId = container?.ShortId,
                Name = v.Name, Namespace = ns, Index = v.Index, MacAddress = v.MacAddress, Mtu = v.Mtu, State = v.State, Master = v.Master,
                PeerName = peerName, PeerNamespace = peerNsText, PeerNamespaceInode = peerIno, PeerIndex = v.LinkIndex,
                PeerMacAddress = peerMac, Processes = ProcsOf(here.Inode),
                PeerProcesses = peerIno is ulong pino ? ProcsOf(pino) : Array.Empty<NetProcess>(), PeerResolved = resolved,
            });
        }
        return result;
    }

    /// <summary>Asks the kernel (in namespace <paramref name="here"/>) for the id it gave each candidate, until <paramref name="wanted"/> is found.</summary>
    private void MapNsids(NamespaceHandle here, List<NetNamespace> candidates, Dictionary<int, NetNamespace> map, int wanted)
    {
        var sock = _ctx.Socket(here);
        foreach (var c in candidates)
        {
            if (c.State != NamespaceStates.Ready || c.Inode == here.Inode || map.Values.Any(v => v.Inode == c.Inode)) continue;
            int fd;
            try { fd = Sys.Open(c.Path, Sys.O_RDONLY); }
            catch (SystemCallException) { continue; } // the process ended meanwhile
            try
            {
                var req = new NetlinkWriter(Rtm.GETNSID, Nl.F_REQUEST);
                req.Reserve(4); // struct rtgenmsg, padded
                req.AttrU32(Netnsa.FD, (uint)fd);
                foreach (var m in sock.Request(req, "get namespace id", c.Path))
                {
                    if (m.Type != Rtm.NEWNSID) continue;
                    int id = m.Attributes(4).S32(Netnsa.NSID) ?? -1;
                    if (id >= 0) map[id] = c;
                }
            }
            catch (VNetException) { }
            finally { Sys.Close(fd); }
            if (map.ContainsKey(wanted)) return;
        }
    }
}
