using VNet.Core.Filter;
using VNet.Core.Links;

namespace VNet.Core.Networks.Drivers;

/// <summary>
/// Docker's bridge driver: a Linux bridge holding the gateway address, a veth per endpoint (host end
/// on the bridge, the other end inside the namespace), masquerade to the outside unless internal,
/// and isolation from every other VNet network (Docker's DOCKER-ISOLATION chains), all through the
/// existing NAT and isolation code.
/// </summary>
internal sealed class BridgeDriver : DriverBase
{
    /// <summary>Where the masquerade rule's id is kept in the definition, so Remove takes exactly that rule.</summary>
    public const string MasqueradeOption = "vnet.masquerade";

    public BridgeDriver(NetContext ctx) : base(ctx) { }

    public override string? HostInterfaceName(string endpointId) => "veth" + endpointId[..11];

    public override void Prepare(ContainerNetwork net, NetworkSpec spec)
    {
        Validation.LinkName(net.BridgeName, "BridgeName");
        if (spec.Mtu is int m) Validation.Mtu(m);
        net.Mtu = spec.Mtu ?? 1500;
        if (net.Subnets.Any(s => Validation.Cidr(s.Subnet).IsIPv6) && net.Mtu < 1280)
            throw Messages.Error("InvalidMtu", VNetErrorCategory.InvalidArgument, net.Mtu, net.Mtu, 1280, Validation.MaxMtu);
        if (Ctx.Links.TryGet(net.BridgeName!, null, resolveMaster: false) != null)
            throw Messages.Error("LinkExists", VNetErrorCategory.ResourceExists, net.BridgeName, net.BridgeName, LinkService.NsText(null));
    }

    public override void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics)
    {
        string br = net.BridgeName!;
        // Made down and brought up last: a bridge that is up is a finished one, so a crash in the
        // middle leaves a down bridge, which Ensure recognises as half-made and makes again.
        // Through BridgeOperations: under an iptables FORWARD policy of DROP it also gets the accept
        // that lets its members talk to each other, and removing it takes that accept along.
        Ctx.BridgeOperations.Create(br, null, net.Mtu, up: false, diagnostics: diagnostics);
        undo.Add($"remove bridge {br}", () => Ctx.BridgeOperations.RemoveLink(br));
        foreach (var sub in net.Subnets)
        {
            var p = Validation.Cidr(sub.Subnet);
            Ctx.Addresses.Add(br, $"{sub.Gateway}/{p.PrefixLength}");
        }
        if (!net.Internal)
        {
            // One masquerade per subnet, IPv4 and IPv6 alike (VNet's NAT table is inet); their ids are
            // kept in the definition so Delete removes exactly these rules.
            var ids = new List<string>();
            foreach (var sub in net.Subnets)
            {
                string id = Masquerade(sub.Subnet, diagnostics);
                ids.Add(id);
                undo.Add($"remove masquerade {id}", () => Ctx.Nat.Remove(id));
            }
            net.Options[MasqueradeOption] = string.Join(",", ids);
        }
        Ctx.Nat.SetIsolated(br, true, null, diagnostics);
        Ctx.Links.SetUp(br, true);
    }

    /// <summary>Adds the network's masquerade; one left from before (the bridge deleted behind VNet's back) is kept.</summary>
    private string Masquerade(string subnet, Diagnostics d)
    {
        try
        {
            return Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = subnet }, d).Id;
        }
        catch (VNetException e) when (e.ErrorId == "NatRuleExists")
        {
            return (string)e.Target!;
        }
    }

    public override string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics)
    {
        var link = Ctx.Links.TryGet(net.BridgeName!, null, resolveMaster: false);
        if (link != null && link.AdminUp) return null;
        // Down: a Create that died before its last step (see Create). Its rules are redone below.
        if (link != null) Ctx.BridgeOperations.RemoveLink(net.BridgeName!);
        var undo = new UndoList();
        try
        {
            Create(net, undo, diagnostics);
            undo.Commit();
        }
        catch
        {
            undo.Run();
            throw;
        }
        int replugged = Replug(net, store, net.BridgeName!, hostId: null);
        return Messages.Format("BridgeRecreated", net.BridgeName, net.Name, replugged);
    }

    public override void Delete(ContainerNetwork net)
    {
        if (net.Options.TryGetValue(MasqueradeOption, out var ids))
            foreach (var id in ids.Split(',', StringSplitOptions.RemoveEmptyEntries)) Ctx.Nat.Remove(id);
        // Removing the bridge this way also forgets its isolation and its forward accepts.
        Ctx.BridgeOperations.RemoveLink(net.BridgeName!);
    }

    public override void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo) =>
        AttachVeth(net, ep, net.BridgeName, undo);

    public override void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) => DetachVeth(ep);

    public override bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive) => VethExists(ep);
}
