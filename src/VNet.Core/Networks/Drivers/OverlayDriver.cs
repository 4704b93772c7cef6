using System.Net;
using System.Net.Sockets;
using VNet.Core.Links;
using VNet.Core.Networks.Cluster;

namespace VNet.Core.Networks.Drivers;

/// <summary>
/// Overlay networks across hosts (docs/overlay.md): per host and network a bridge ov-ID10 and a
/// VXLAN device vx-ID10 on it (the network's VNI, local = this host's advertise address, dstport
/// 4789, learning off, ARP/ND proxy on, the host's stable VTEP MAC), and a veth per endpoint as the
/// bridge driver makes it. The devices are made lazily by the first Connect on a host (Ensure), not
/// by New, which only writes the definition to the cluster store. No gateway address, no default
/// route, no masquerade: an overlay is a segment of its own (Docker's overlay without
/// docker_gwbridge). Who lives where is programmed by the agent (OverlayReconciler): FDB and
/// neighbour entries on vx-ID10 for every remote endpoint, so nothing is flooded or learned.
/// </summary>
internal sealed class OverlayDriver : DriverBase
{
    /// <summary>Where the store keeps the network's VXLAN id.</summary>
    public const string VniOption = "vnet.vni";
    /// <summary>The VXLAN overhead over this underlay (VxlanService's: 50 bytes over IPv4, 70 over IPv6).</summary>
    private static int OverheadFor(IPAddress local) =>
        local.AddressFamily == AddressFamily.InterNetworkV6 ? VxlanService.OverheadIPv6 : VxlanService.OverheadIPv4;

    private StoreSettings? _settings;

    public OverlayDriver(NetContext ctx, StoreSettings? settings = null) : base(ctx) => _settings = settings;

    /// <summary>This host's store settings; an overlay network needs them on every host it is used on.</summary>
    private StoreSettings Settings => _settings ??= StoreSettings.Load()
        ?? throw Messages.Error("OverlayNeedsStore", VNetErrorCategory.InvalidOperation, StoreSettings.FilePath, StoreSettings.FilePath);

    public static string BridgeOf(ContainerNetwork net) => net.BridgeName ?? "ov-" + net.Id[..10];
    public static string VxlanOf(ContainerNetwork net) => "vx-" + net.Id[..10];
    /// <summary>The vx- device of a network id prefix (what the agent finds on the host).</summary>
    public const string VxlanPrefix = "vx-", BridgePrefix = "ov-";

    public override string? HostInterfaceName(string endpointId) => "veth" + endpointId[..11];

    public static int Vni(ContainerNetwork net) =>
        net.Options.TryGetValue(VniOption, out var v) && int.TryParse(v, NumberStyles, System.Globalization.CultureInfo.InvariantCulture, out int vni) && vni is > 0 and < (1 << 24)
            ? vni : throw Messages.Error("OverlayNoVni", VNetErrorCategory.InvalidOperation, net.Name, net.Name, VniOption);

    private const System.Globalization.NumberStyles NumberStyles = System.Globalization.NumberStyles.None;

    /// <summary>
    /// The VTEP MAC of a host: locally administered unicast (02:), then 5 bytes of SHA-256 of the
    /// host id, so a restarted agent or a re-created device keeps the MAC the other hosts hold.
    /// </summary>
    public static string VtepMac(string hostId)
    {
        var h = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hostId));
        return $"02:{h[0]:x2}:{h[1]:x2}:{h[2]:x2}:{h[3]:x2}:{h[4]:x2}";
    }

    /// <summary>
    /// The underlay address others send this host's VXLAN traffic to: the setting, else the source
    /// address the kernel picks to reach the store's first endpoint (a UDP connect sends nothing; it
    /// only asks the routing table, in the calling process's namespace).
    /// </summary>
    public static IPAddress AdvertiseAddress(StoreSettings s)
    {
        if (!string.IsNullOrEmpty(s.AdvertiseAddress)) return Validation.Address(s.AdvertiseAddress, "AdvertiseAddress");
        string first = s.Endpoints.FirstOrDefault() ?? "";
        return StoreConfiguration.SourceAddressFor(first, out var why)
            ?? throw Messages.Error("OverlayNoAdvertiseAddress", VNetErrorCategory.InvalidOperation, first, first, why);
    }

    /// <summary>The link holding the advertise address in the host namespace: the underlay device.</summary>
    private NetLink Underlay(IPAddress local)
    {
        var owner = Ctx.Addresses.List(null).FirstOrDefault(a => IPAddress.TryParse(a.IPAddress, out var ip) && ip.Equals(local))
            ?? throw Messages.Error("OverlayNoUnderlay", VNetErrorCategory.ObjectNotFound, local.ToString(), local.ToString());
        return Ctx.Links.Get(owner.InterfaceName);
    }

    public override void Prepare(ContainerNetwork net, NetworkSpec spec)
    {
        var s = Settings;
        // The MTU every host uses: this host's underlay less the VXLAN overhead. A host whose
        // underlay is smaller refuses to make its devices (Ensure) rather than drop big packets.
        var local = AdvertiseAddress(s);
        var underlay = Underlay(local);
        int max = underlay.Mtu - OverheadFor(local);
        if (spec.Mtu is int m)
        {
            Validation.Mtu(m);
            if (m > max)
                throw Messages.Error("OverlayMtuAboveUnderlay", VNetErrorCategory.InvalidArgument, m, m, max, underlay.Name, underlay.Mtu, OverheadFor(local));
        }
        net.Mtu = spec.Mtu ?? max;
        if (net.Subnets.Any(x => Validation.Cidr(x.Subnet).IsIPv6) && net.Mtu < 1280)
            throw Messages.Error("InvalidMtu", VNetErrorCategory.InvalidArgument, net.Mtu, net.Mtu, 1280, Validation.MaxMtu);
    }

    /// <summary>Nothing on the kernel at New: the network lives in the store, and each host makes its devices at its first Connect.</summary>
    public override void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics) { }

    /// <summary>
    /// Makes the bridge and the VXLAN device when missing; quiet when both are there and up. Run
    /// under the network's lock (Connect), and the agent never makes devices (it only programs
    /// entries on the ones it finds), so two makers never race. A half-made pair (a kill in the
    /// middle: the bridge is brought up last) is taken apart and made again.
    /// </summary>
    public override string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics)
    {
        string br = BridgeOf(net), vx = VxlanOf(net);
        var bl = Ctx.Links.TryGet(br, null, resolveMaster: false);
        var vl = Ctx.Links.TryGet(vx, null, resolveMaster: false);
        if (bl != null && bl.AdminUp && vl != null && vl.AdminUp && vl.MasterIndex == bl.Index) return null;
        int vni = Vni(net);
        var s = Settings;
        var local = AdvertiseAddress(s);
        var underlay = Underlay(local);
        if (net.Mtu > underlay.Mtu - OverheadFor(local))
            throw Messages.Error("OverlayMtuAboveUnderlay", VNetErrorCategory.InvalidOperation, net.Name, net.Mtu, underlay.Mtu - OverheadFor(local), underlay.Name, underlay.Mtu, OverheadFor(local));
        if (vl != null) Ctx.Links.Remove(vx);
        if (bl != null) Ctx.BridgeOperations.RemoveLink(br);
        var undo = new UndoList();
        try
        {
            Ctx.BridgeOperations.Create(br, null, net.Mtu, up: false, diagnostics: diagnostics);
            undo.Add($"remove bridge {br}", () => Ctx.BridgeOperations.RemoveLink(br));
            Ctx.Vxlans.Create(new VxlanSpec
            {
                Name = vx, Vni = vni, Local = local.ToString(), Device = underlay.Name, Port = VxlanService.IanaPort, Learning = false, Proxy = true,
                MacAddress = VtepMac(s.HostId), Mtu = net.Mtu, Bridge = br,
            });
            undo.Add($"remove vxlan {vx}", () => Ctx.Links.Remove(vx));
            Ctx.Nat.SetIsolated(br, true, null, diagnostics);
            Ctx.Links.SetUp(br, true);
            undo.Commit();
        }
        catch
        {
            undo.Run();
            throw;
        }
        // Members of this host whose host end outlived the bridge go back on it.
        int replugged = Replug(net, store, br, s.HostId);
        return bl == null && vl == null && replugged == 0 ? null : Messages.Format("BridgeRecreated", br, net.Name, replugged);
    }

    /// <summary>Removes this host's devices of the network (the agent removes other hosts' when the network leaves the store).</summary>
    public override void Delete(ContainerNetwork net) => DeleteDevices(Ctx, net.Id);

    /// <summary>Removes vx- and ov- of a network id on this host; quiet about what is gone. Also the agent's cleanup.</summary>
    internal static void DeleteDevices(NetContext ctx, string networkId)
    {
        string id10 = networkId[..10];
        ctx.Links.Remove(VxlanPrefix + id10);
        if (ctx.Links.TryGet(BridgePrefix + id10, null, resolveMaster: false) != null) ctx.BridgeOperations.RemoveLink(BridgePrefix + id10);
    }

    public override void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo) =>
        // Addresses, and no default route: an overlay gives no way out (DefaultRoutes knows).
        AttachVeth(net, ep, BridgeOf(net), undo);

    public override void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) => DetachVeth(ep);

    public override bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) => VethExists(ep);
}
