using VNet.Core.Links;

namespace VNet.Core.Networks.Drivers;

/// <summary>
/// Docker's macvlan driver in bridge mode: each endpoint is a macvlan child of the parent link with
/// a MAC of its own, made in the host namespace under a temporary name and moved into the
/// namespace. Members reach each other and the parent's segment; the host itself does not reach
/// its macvlan children (the kernel does not pass frames between a parent and its children).
/// </summary>
internal sealed class MacvlanDriver : DriverBase
{
    public MacvlanDriver(NetContext ctx) : base(ctx) { }

    public override void Prepare(ContainerNetwork net, NetworkSpec spec)
    {
        if (string.IsNullOrEmpty(net.Parent))
            throw Messages.Error("MacvlanNeedsParent", VNetErrorCategory.InvalidArgument, net.Name, net.Name);
        Validation.LinkName(net.Parent, "Parent");
        var parent = Ctx.Links.TryGet(net.Parent, null, resolveMaster: false)
            ?? throw Messages.Error("ParentNotFound", VNetErrorCategory.ObjectNotFound, net.Parent, net.Parent, LinkService.NsText(null));
        if (spec.Mtu is int m)
        {
            Validation.Mtu(m);
            if (m > parent.Mtu)
                throw Messages.Error("MtuAboveParent", VNetErrorCategory.InvalidArgument, m, m, net.Parent, parent.Mtu);
        }
        net.Mtu = spec.Mtu ?? parent.Mtu;
    }

    public override void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics) { }

    public override string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics) => null;

    public override void Delete(ContainerNetwork net) { }

    public override void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo)
    {
        // A temporary name in the host namespace, unique per endpoint, so an eth0 there is no clash.
        string tmp = "mv" + ep.Id[..13];
        Ctx.Macvlans.Create(tmp, net.Parent!, "bridge", null, ep.NamespacePath, net.Mtu, ep.MacAddress);
        undo.Add($"remove macvlan {tmp}", () =>
        {
            if (!Ctx.Links.Remove(tmp, ep.NamespacePath)) Ctx.Links.Remove(ep.InterfaceName, ep.NamespacePath);
        });
        var link = Ctx.Links.Set(tmp, new LinkChange { NewName = ep.InterfaceName, Up = true }, ep.NamespacePath);
        ep.MacAddress = link.MacAddress;
        AddressAndRoute(net, ep);
    }

    public override void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive)
    {
        if (namespaceAlive) Ctx.Links.Remove(ep.InterfaceName, ep.NamespacePath);
        // A dead namespace took its macvlan with it.
    }

    public override bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) =>
        namespaceAlive && Ctx.Links.TryGet(ep.InterfaceName, ep.NamespacePath, resolveMaster: false)?.Kind == "macvlan";
}
