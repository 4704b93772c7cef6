using System.Net;

namespace VNet.Core.Networks;

public sealed partial class NetworkService
{
    /// <summary>
    /// `docker network disconnect`: removes the endpoint's interface, publishes, names and address
    /// leases. Quiet (false) when the namespace is not connected, unless <paramref name="strict"/>;
    /// frees the lease even when the namespace is already gone (found by the name it was connected under).
    /// <paramref name="diagnostics"/> gets a note when the way out through another network cannot be restored.
    /// </summary>
    public bool Disconnect(string network, EndpointTarget target, bool strict = false, Diagnostics? diagnostics = null)
    {
        var net = Definition(network);
        var drv = Driver(net);
        using var lk = LockExisting(net);
        var ep = Find(net, target);
        if (ep == null)
        {
            if (strict) throw Messages.Error("EndpointNotFound", VNetErrorCategory.ObjectNotFound, target.ToString(), target.ToString(), net.Name);
            return false;
        }
        Release(net, drv, ep, diagnostics);
        return true;
    }

    /// <summary>
    /// Takes an endpoint apart, in the reverse order of Connect: publishes, interfaces, the record,
    /// its names, then its leases. Every step is quiet about what is already gone, so it also rolls
    /// back a half-made (Pending) endpoint, and a crash in the middle of it can simply run it again.
    /// </summary>
    internal void Release(ContainerNetwork net, Drivers.INetworkDriver drv, ContainerEndpoint ep, Diagnostics? diagnostics = null)
    {
        // Another host's overlay endpoint (Remove -Force here): only its record and leases are
        // shared; its interfaces and names are that host's, whose Repair removes its host end.
        if (OnOtherHost(ep, Store.LocalHostId))
        {
            Store.DeleteEndpoint(net.Name, ep.Id);
            ReleaseLeases(net, ep);
            return;
        }
        bool alive = NamespaceAlive(ep);
        if (ep.NatRules.Count > 0)
        {
            // Only rules that still point at this endpoint: a publish id is the port, and a Pending
            // record may name one that another endpoint holds (its own publish failed on it).
            var mine = ep.Addresses.Select(c => Validation.Cidr(c).Address.ToString()).ToHashSet();
            var rules = Ctx.Nat.List(null).ToDictionary(r => r.Id, r => r);
            foreach (var id in ep.NatRules)
                if (rules.TryGetValue(id, out var r) && r.ToAddress != null && mine.Contains(r.ToAddress)) Ctx.Nat.Remove(id);
        }
        drv.Detach(net, ep, alive);
        Store.DeleteEndpoint(net.Name, ep.Id);
        if (ep.State == EndpointState.Active) NameService.EndpointDisconnected(Ctx, Store, net, ep);
        ReleaseLeases(net, ep);
        if (alive && ep.State == EndpointState.Active && !net.Internal) RestoreWayOut(ep, diagnostics ?? new Diagnostics());
    }

    private void ReleaseLeases(ContainerNetwork net, ContainerEndpoint ep)
    {
        foreach (var cidr in ep.Addresses)
        {
            var a = Validation.Cidr(cidr).Address;
            if (Store.AddressHolder(net.Name, a) == ep.Id) Store.ReleaseAddress(net.Name, a);
        }
    }

    /// <summary>
    /// The interface that went may have carried the namespace's default route (its first network):
    /// a namespace still in other networks gets one through them again, as Docker moves the default
    /// gateway, or a member left in another network could reach neither the outside nor (for
    /// processes entered with nsenter, whose queries go to the host's resolvers and are redirected
    /// inside) its names. Only looked for when a family has no default route left.
    /// </summary>
    private void RestoreWayOut(ContainerEndpoint gone, Diagnostics d)
    {
        var have = Ctx.Routes.List(gone.NamespacePath).Where(r => r.Destination == "default").Select(r => r.AddressFamily).ToHashSet();
        if (have.Contains("IPv4") && have.Contains("IPv6")) return;
        foreach (var other in Store.ListNetworks())
        {
            if (other.Name == gone.Network || other.Internal || other.Driver == "none") continue;
            var ep = Store.ListEndpoints(other.Name).FirstOrDefault(e => e.NamespaceInode == gone.NamespaceInode && e.State == EndpointState.Active);
            if (ep == null) continue;
            var def = Store.GetDefinition(other.Name);
            if (def == null) continue;
            // Another caller may hold that network's lock and be changing this namespace: a route
            // that cannot be added now is a note, not a failed Disconnect.
            try { Drivers.DriverBase.DefaultRoutes(Ctx, def, ep); }
            catch (VNetException e) { d.Notes.Add(e.Message); }
        }
    }
}
