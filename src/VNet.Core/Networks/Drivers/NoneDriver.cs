namespace VNet.Core.Networks.Drivers;

/// <summary>Docker's none driver: an endpoint with only lo, up. No interface, no address, no rule.</summary>
internal sealed class NoneDriver : DriverBase
{
    public NoneDriver(NetContext ctx) : base(ctx) { }

    public override void Prepare(ContainerNetwork net, NetworkSpec spec)
    {
        if (spec.Mtu is int m) Validation.Mtu(m);
        net.Mtu = spec.Mtu ?? 0;
    }

    public override void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics) { }
    public override string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics) => null;
    public override void Delete(ContainerNetwork net) { }

    public override void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo) =>
        Ctx.Links.SetUp("lo", true, ep.NamespacePath);

    public override void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) { }
    public override bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) => namespaceAlive;
}
