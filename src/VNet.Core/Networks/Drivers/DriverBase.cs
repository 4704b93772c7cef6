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

    /// <summary>The endpoint's addresses on its interface, then a default route per family via the gateway (none on an internal network).</summary>
    protected void AddressAndRoute(ContainerNetwork net, ContainerEndpoint ep)
    {
        foreach (var cidr in ep.Addresses) Ctx.Addresses.Add(ep.InterfaceName, cidr, ep.NamespacePath);
        if (net.Internal) return;
        foreach (var sub in net.Subnets)
        {
            if (sub.Gateway == null) continue;
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = sub.Gateway, Namespace = ep.NamespacePath });
        }
    }
}
