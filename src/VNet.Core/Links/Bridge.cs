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
    /// Under an iptables FORWARD policy of DROP (Docker's), it also gets the accept that lets it switch
    /// between its own ports (see NatService.AllowSwitching); if that cannot be added, the bridge goes.
    /// </summary>
    public NetLink Create(string name, string? ns = null, int? mtu = null, string? macAddress = null, bool up = true, Diagnostics? diagnostics = null)
    {
        var link = _ctx.Links.CreateSimple(name, "bridge", ns, mtu, macAddress ?? RandomMac(), up);
        try
        {
            _ctx.Nat.AllowSwitching(name, ns, diagnostics);
        }
        catch
        {
            try { _ctx.Links.Remove(name, ns); } catch (VNetException) { } // the first error is the one to report
            throw;
        }
        return link;
    }

    /// <summary>A random unicast, locally administered MAC (first octet xxxxxx10).</summary>
    internal static string RandomMac()
    {
        Span<byte> b = stackalloc byte[6];
        Random.Shared.NextBytes(b);
        b[0] = (byte)((b[0] & 0xfc) | 0x02);
        return Validation.FormatMac(b);
    }

    /// <summary>Plugs an interface into a bridge (and brings the port up, as a switch port is useless down).</summary>
    public BridgePort AddPort(string bridge, string iface, string? ns = null)
    {
        Validation.LinkName(bridge, "Bridge");
        Validation.LinkName(iface, "Interface");
        var br = _ctx.Links.TryGet(bridge, ns, resolveMaster: false)
            ?? throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, bridge, bridge, LinkService.NsText(ns));
        if (br.Kind != "bridge")
            throw Messages.Error("NotABridge", VNetErrorCategory.InvalidArgument, bridge, bridge, br.Kind);
        var link = _ctx.Links.Get(iface, ns, resolveMaster: false);
        // One request for master and up: this runs once per container in a bulk build.
        _ctx.Links.SetMaster(link.Index, br.Index, up: !link.AdminUp, ns, iface);
        return ToPort(_ctx.Links.Get(iface, ns, resolveMaster: false), bridge, ns);
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
