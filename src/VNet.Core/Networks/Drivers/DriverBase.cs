using VNet.Core.Links;
using VNet.Core.Routes;

namespace VNet.Core.Networks.Drivers;

/// <summary>What every driver does the same way: addresses and the default routes inside the namespace.</summary>
internal abstract class DriverBase : INetworkDriver
{
    protected readonly NetContext Ctx;

    protected DriverBase(NetContext ctx) => Ctx = ctx;

    public abstract void Prepare(ContainerNetwork net, NetworkSpec spec);
    public abstract void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics);
    public abstract string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics);
    public abstract void Delete(ContainerNetwork net);
    public abstract void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo);
    public abstract void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive);
    public abstract bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive);
    public virtual string? HostInterfaceName(string endpointId) => null;

    /// <summary>
    /// After a bridge was made again: this host's members whose host end outlived it (the bridge
    /// was deleted, not rebooted) go back on it. Returns how many.
    /// </summary>
    protected int Replug(ContainerNetwork net, INetworkStore store, string bridge, string? hostId)
    {
        int replugged = 0;
        foreach (var ep in store.ListEndpoints(net.Name))
        {
            if (ep.HostInterface == null || NetworkService.OnOtherHost(ep, hostId)) continue;
            if (Ctx.Links.TryGet(ep.HostInterface, null, resolveMaster: false) == null) continue;
            Ctx.Bridges.AddPort(bridge, ep.HostInterface);
            replugged++;
        }
        return replugged;
    }

    /// <summary>
    /// The endpoint's veth: host end on <paramref name="bridge"/>, container end in its namespace
    /// (with the MAC asked for, else the kernel's, recorded on the endpoint), then its addresses
    /// and routes. The bridge and overlay drivers attach the same way, to different bridges.
    /// </summary>
    protected void AttachVeth(ContainerNetwork net, ContainerEndpoint ep, string? bridge, UndoList undo)
    {
        string host = ep.HostInterface!;
        var pair = Ctx.Veths.Create(new VethSpec
        {
            Name = host, PeerName = ep.InterfaceName, PeerNamespace = ep.NamespacePath, Mtu = net.Mtu,
            PeerMacAddress = ep.MacAddress, Bridge = bridge,
        });
        undo.Add($"remove veth {host}", () => Ctx.Links.Remove(host));
        ep.MacAddress = pair.PeerMacAddress;
        AddressAndRoute(net, ep);
    }

    /// <summary>Removes a veth endpoint: deleting the host end takes the container end with it, wherever it is.</summary>
    protected void DetachVeth(ContainerEndpoint ep)
    {
        if (ep.HostInterface != null) Ctx.Links.Remove(ep.HostInterface);
    }

    /// <summary>Whether a veth endpoint's host end is still there.</summary>
    protected bool VethExists(ContainerEndpoint ep) =>
        ep.HostInterface != null && Ctx.Links.TryGet(ep.HostInterface, null, resolveMaster: false) != null;

    /// <summary>The endpoint's addresses on its interface, then a default route per family via the gateway (none on an internal network).</summary>
    protected void AddressAndRoute(ContainerNetwork net, ContainerEndpoint ep)
    {
        foreach (var cidr in ep.Addresses) Ctx.Addresses.Add(ep.InterfaceName, cidr, ep.NamespacePath);
        DefaultRoutes(Ctx, net, ep);
    }

    /// <summary>
    /// A default route per family via the network's gateway, for each family the namespace has none
    /// of (none on an internal network). Also run by Disconnect for the networks a namespace is
    /// still in, when the one that carried its way out left (Docker moves the gateway the same way).
    /// </summary>
    internal static void DefaultRoutes(NetContext ctx, ContainerNetwork net, ContainerEndpoint ep)
    {
        // An overlay gives no way out (no gateway on its bridge): its members keep their other networks' routes.
        if (net.Internal || net.Driver == "overlay") return;
        // A namespace that has a default route already (Docker's eth0, or an earlier network) keeps
        // it, as Docker keeps the first network's gateway: adding a second one would fail on EEXIST
        // and take the namespace's way out away from the network that gave it.
        var have = ctx.Routes.List(ep.NamespacePath).Where(r => r.Destination == "default").Select(r => r.AddressFamily).ToHashSet();
        foreach (var sub in net.Subnets)
        {
            if (sub.Gateway == null) continue;
            if (have.Contains(Validation.Cidr(sub.Subnet).IsIPv6 ? "IPv6" : "IPv4")) continue;
            ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = sub.Gateway, Namespace = ep.NamespacePath });
        }
    }
}
