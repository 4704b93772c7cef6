namespace VNet.Core.Links;

/// <summary>A port of a bridge: the link and its forwarding state.</summary>
public sealed class BridgePort
{
    public string Bridge { get; init; } = "";
    public string Name { get; init; } = "";
    public int Index { get; init; }
    public string? Namespace { get; init; }
    public string Kind { get; init; } = "";
    public string State { get; init; } = "";
    public string? PortState { get; init; }
    public int Mtu { get; init; }
    public string? MacAddress { get; init; }
    public override string ToString() => $"{Name} -> {Bridge}";
}

/// <summary>Linux bridges (kind "bridge") and their ports: `ip link add type bridge`, `ip link set X master B`.</summary>
public sealed class BridgeService
{
    private readonly NetContext _ctx;

    internal BridgeService(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// Creates a bridge, up unless asked otherwise. Without a MAC address given, it gets a random
    /// locally administered one of its own (as Docker gives docker0): a bridge left to the kernel
    /// takes the lowest MAC of its ports and changes it when that port leaves (a container
    /// detached), and every neighbour's ARP entry for the gateway goes stale for seconds.
    /// The link only: its firewall follow-ups (switching under a FORWARD policy of DROP) are
    /// Orchestration/BridgeOperations' job, which is what the cmdlets call.
    /// </summary>
    public NetLink Create(string name, string? ns = null, int? mtu = null, string? macAddress = null, bool up = true) =>
        _ctx.Links.CreateSimple(name, "bridge", ns, mtu, macAddress ?? RandomMac(), up);

    /// <summary>A random unicast, locally administered MAC (first octet xxxxxx10).</summary>
    internal static string RandomMac()
    {
        Span<byte> b = stackalloc byte[6];
        Random.Shared.NextBytes(b);
        b[0] = (byte)((b[0] & 0xfc) | 0x02);
        return Validation.FormatMac(b);
    }

    /// <summary>
    /// Plugs an interface into a bridge (and brings the port up, as a switch port is useless down);
    /// the MTUs it fitted to the bridge are noted in <paramref name="diagnostics"/>.
    /// </summary>
    public BridgePort AddPort(string bridge, string iface, string? ns = null, Diagnostics? diagnostics = null)
    {
        Validation.LinkName(iface, "Interface");
        var br = _ctx.Links.GetBridge(bridge, ns);
        var link = _ctx.Links.Get(iface, ns, resolveMaster: false);
        // One request for master and up: this runs once per container in a bulk build.
        _ctx.Links.SetMaster(link.Index, br.Index, up: !link.AdminUp, ns, iface);
        var port = _ctx.Links.Get(iface, ns, resolveMaster: false);
        // A bridge whose MTU is held down by a port (a VXLAN tunnel's 1450) keeps it when a bigger
        // port joins, and drops that port's full-size frames: fit the port, and the container end of
        // a veth, to the bridge. Read after joining, so that a fresh bridge that follows its ports
        // (the kernel's MTU auto-adjust) is not mistaken for a small one.
        int brMtu = _ctx.Links.Get(bridge, ns, resolveMaster: false).Mtu;
        if (port.Mtu > brMtu)
        {
            foreach (var changed in FitToMtu(bridge, brMtu, ns))
                diagnostics?.Notes.Add(Messages.Format("MtuFittedToBridge", changed, brMtu, bridge));
            port = _ctx.Links.Get(iface, ns, resolveMaster: false);
        }
        return ToPort(port, bridge, ns);
    }

    /// <summary>
    /// Lowers every port of the bridge above the MTU, and for veth ports the far end too (the
    /// container's eth0), so no end sends frames the bridge cannot pass on (a VXLAN tunnel's
    /// 1450, say). Returns what changed, for -Verbose.
    /// </summary>
    public List<string> FitToMtu(string bridge, int mtu, string? ns)
    {
        var changed = new List<string>();
        var veths = _ctx.Veths.List(ns).ToDictionary(v => v.Name);
        foreach (var port in ListPorts(bridge, ns))
        {
            if (port.Mtu > mtu)
            {
                _ctx.Links.Set(port.Name, new LinkChange { Mtu = mtu }, ns);
                changed.Add(port.Name);
            }
            if (veths.TryGetValue(port.Name, out var v) && v.PeerResolved && v.PeerName != null)
            {
                // PeerNamespace is null only for the caller's own namespace (not the bridge's).
                string? peerNs = v.PeerNamespace;
                var peer = _ctx.Links.TryGet(v.PeerName, peerNs);
                if (peer != null && peer.Mtu > mtu)
                {
                    _ctx.Links.Set(v.PeerName, new LinkChange { Mtu = mtu }, peerNs);
                    changed.Add($"{v.PeerName}@{peerNs ?? "(current)"}");
                }
            }
        }
        var br = _ctx.Links.Get(bridge, ns);
        if (br.Mtu > mtu)
        {
            _ctx.Links.Set(bridge, new LinkChange { Mtu = mtu }, ns);
            changed.Add(bridge);
        }
        return changed;
    }

    /// <summary>
    /// The MTU a new port of <paramref name="bridge"/> should get: the bridge's when it is below the
    /// kernel's default of 1500 and none was asked for, so that the port (and a veth's peer, the
    /// container end) sends no frame the bridge drops. An asked MTU above a bridge that has ports
    /// (which hold its MTU down) is refused, naming -Mtu.
    /// </summary>
    internal static int? FitPortMtu(NetContext ctx, NetLink bridge, int? asked, string? ns)
    {
        if (asked is int a)
        {
            if (a > bridge.Mtu && ctx.Links.List(ns).Any(l => l.MasterIndex == bridge.Index))
                throw Messages.Error("MtuAboveBridge", VNetErrorCategory.InvalidArgument, a, a, bridge.Mtu, bridge.Name);
            return a;
        }
        return bridge.Mtu < 1500 ? bridge.Mtu : null;
    }

    /// <summary>Takes an interface off its bridge. Returns false if it was not on that bridge (or gone); strict makes that an error.</summary>
    public bool RemovePort(string? bridge, string iface, string? ns = null, bool strict = false)
    {
        var link = _ctx.Links.TryGet(iface, ns);
        if (link == null || link.Master == null || (bridge != null && link.Master != bridge))
        {
            if (strict)
                throw Messages.Error("BridgePortNotFound", VNetErrorCategory.ObjectNotFound, iface, iface, bridge ?? "any bridge");
            return false;
        }
        _ctx.Links.Set(iface, new LinkChange { Master = "" }, ns);
        return true;
    }

    /// <summary>The ports of one bridge, or of every bridge in the namespace.</summary>
    public List<BridgePort> ListPorts(string? bridge = null, string? ns = null)
    {
        var links = _ctx.Links.List(ns);
        if (bridge != null && !Wildcard.HasWildcard(bridge) && !links.Any(l => l.Name == bridge && l.Kind == "bridge"))
            throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, bridge, bridge, LinkService.NsText(ns));
        return links
            .Where(l => l.Master != null && l.MasterKind == "bridge" && (bridge == null || Wildcard.IsMatch(l.Master, bridge)))
            .Select(l => ToPort(l, l.Master!, ns))
            .ToList();
    }

    private static BridgePort ToPort(NetLink l, string bridge, string? ns) => new()
    {
        Bridge = bridge, Name = l.Name, Index = l.Index, Namespace = ns, Kind = l.Kind, State = l.State,
        PortState = l.PortState, Mtu = l.Mtu, MacAddress = l.MacAddress,
    };
}
