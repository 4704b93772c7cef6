using System.Text.RegularExpressions;

namespace VNet.Core.Networks;

/// <summary>One thing Repair-ContainerNetwork released or re-created, and why.</summary>
public sealed class NetworkRepair
{
    public string Network { get; init; } = "";
    /// <summary>Endpoint, Lease, Interface or Bridge.</summary>
    public string What { get; init; } = "";
    /// <summary>The endpoint's name, the address, the interface or the bridge.</summary>
    public string Name { get; init; } = "";
    /// <summary>What was done: Released, Removed, Recreated.</summary>
    public string Action { get; init; } = "";
    public string Reason { get; init; } = "";
    public override string ToString() => $"{Network}: {What} {Name} {Action} ({Reason})";
}

public sealed partial class NetworkService
{
    private static readonly Regex HostVethName = new("^veth[0-9a-f]{11}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// A garbage collector in the CNI sense, per network under its lock: re-creates a bridge a
    /// reboot took; rolls back Pending endpoints (their Connect died: no one else can be in the
    /// middle of one while the lock is held); releases Active endpoints whose namespace or
    /// interface is gone; releases leases that no record holds; removes host ends on the bridge
    /// that no record names. Returns one object per repair.
    /// </summary>
    public List<NetworkRepair> Repair(string? network = null, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        var nets = network != null ? new[] { Get(network) } : Store.ListNetworks();
        var result = new List<NetworkRepair>();
        foreach (var net in nets)
        {
            var drv = Driver(net);
            IDisposable lk;
            try { lk = LockExisting(net); }
            catch (VNetException e) when (network == null && e.ErrorId == "NetworkNotFound") { continue; } // removed meanwhile
            using var _ = lk;
            // Read once, under the lock: what decides whether the devices are this host's, and what is repaired.
            var endpoints = Store.ListEndpoints(net.Name);
            // An overlay's devices are made on the hosts that have its members, not by a Repair of every host.
            bool ours = net.Driver != "overlay" || Store.LocalHostId is not { } me || endpoints.Any(e => !OnOtherHost(e, me));
            if (ours && drv.Ensure(net, Store, d) is string note)
                result.Add(new NetworkRepair { Network = net.Name, What = "Bridge", Name = net.BridgeName ?? "", Action = "Recreated", Reason = note });
            result.AddRange(RepairLocked(net, drv, skipEndpoint: null, endpoints));
        }
        return result;
    }

    /// <summary>Is this an overlay endpoint of another host (its Host is set and is not this host's id)?</summary>
    internal static bool OnOtherHost(ContainerEndpoint ep, string? localHostId) => ep.Host != null && ep.Host != localHostId;

    /// <summary>The endpoint, lease and interface part of Repair, with the network's lock held by the caller (who may pass the endpoints it read under it).</summary>
    internal List<NetworkRepair> RepairLocked(ContainerNetwork net, Drivers.INetworkDriver drv, string? skipEndpoint, IReadOnlyList<ContainerEndpoint>? endpoints = null)
    {
        var result = new List<NetworkRepair>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        if (skipEndpoint != null) kept.Add(skipEndpoint);
        var hostEnds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ep in endpoints ?? Store.ListEndpoints(net.Name))
        {
            if (ep.Id == skipEndpoint) continue;
            // An overlay network's endpoints of other hosts: their namespaces and pids mean nothing
            // here, and their leases are theirs. Each host repairs its own.
            if (OnOtherHost(ep, Store.LocalHostId))
            {
                kept.Add(ep.Id);
                continue;
            }
            string? reason = null;
            if (ep.State != EndpointState.Active)
            {
                reason = ProcessAlive(ep.OwnerProcessId) && ep.OwnerProcessId != Environment.ProcessId
                    ? Messages.Format("RepairPendingAbandoned", ep.OwnerProcessId)
                    : Messages.Format("RepairPendingOwnerGone", ep.OwnerProcessId);
            }
            else
            {
                bool alive = NamespaceAlive(ep);
                if (!alive) reason = Messages.Format("RepairNamespaceGone", ep.Namespace ?? ep.Container ?? ep.NamespacePath);
                else if (!drv.InterfaceExists(net, ep, alive))
                    reason = Messages.Format("RepairInterfaceGone", ep.HostInterface ?? ep.InterfaceName, ep.Namespace ?? ep.Container);
            }
            if (reason == null)
            {
                kept.Add(ep.Id);
                if (ep.HostInterface != null) hostEnds.Add(ep.HostInterface);
                continue;
            }
            Release(net, drv, ep);
            result.Add(new NetworkRepair
            {
                Network = net.Name, What = "Endpoint", Name = Describe(ep), Reason = reason,
                Action = ep.Addresses.Count > 0 ? $"Released {string.Join(", ", ep.Addresses)}" : "Released",
            });
        }
        foreach (var (address, holder) in Store.Leases(net.Name))
        {
            if (kept.Contains(holder)) continue;
            // Read again: a lease read a moment ago may have been released with its endpoint above.
            if (Store.AddressHolder(net.Name, address) != holder) continue;
            // A shared store: another host may have reserved it (lease and record in one txn) after
            // the endpoints were listed; only a lease whose record is still missing now is orphaned.
            if (Store.LocalHostId != null && Store.GetEndpoint(net.Name, holder) != null) continue;
            Store.ReleaseAddress(net.Name, address);
            result.Add(new NetworkRepair
            {
                Network = net.Name, What = "Lease", Name = address.ToString(), Action = "Released",
                Reason = Messages.Format("RepairLeaseOrphan", Ipam.Short(holder)),
            });
        }
        if (net.Driver is "bridge" or "overlay" && Ctx.Links.TryGet(net.BridgeName!, null, resolveMaster: false) != null)
        {
            foreach (var port in Ctx.Bridges.ListPorts(net.BridgeName, null))
            {
                if (!HostVethName.IsMatch(port.Name) || hostEnds.Contains(port.Name)) continue;
                if (skipEndpoint != null && port.Name == drv.HostInterfaceName(skipEndpoint)) continue;
                Ctx.Links.Remove(port.Name);
                result.Add(new NetworkRepair
                {
                    Network = net.Name, What = "Interface", Name = port.Name, Action = "Removed",
                    Reason = Messages.Format("RepairInterfaceOrphan", port.Name, net.BridgeName),
                });
            }
        }
        return result;
    }
}
