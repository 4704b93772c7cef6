using System.Net;
using VNet.Core.Networks.Cluster;
using VNet.Core.Networks.Drivers;

namespace VNet.Core.Networks.Agent;

/// <summary>An FDB entry VNet wants on a vxlan device: MAC sent to the remote VTEP at Dst (self, permanent).</summary>
public readonly record struct OverlayFdb(string Mac, string Dst)
{
    public override string ToString() => $"{Mac} dst {Dst}";
}

/// <summary>What one local vxlan device should hold: the FDB entries and neighbour entries (address → MAC) of every remote endpoint.</summary>
public sealed class OverlayDeviceState
{
    public string Device { get; init; } = "";
    public string Network { get; init; } = "";
    public string NetworkId { get; init; } = "";
    public HashSet<OverlayFdb> Fdb { get; } = new();
    public Dictionary<string, string> Neighbours { get; } = new(StringComparer.Ordinal);
}

/// <summary>The difference between what a device holds and what it should: deletes first, then adds (an add replaces).</summary>
public sealed class OverlayDiff
{
    public List<OverlayFdb> FdbToAdd { get; } = new();
    public List<OverlayFdb> FdbToRemove { get; } = new();
    public Dictionary<string, string> NeighboursToSet { get; } = new(StringComparer.Ordinal);
    public List<string> NeighboursToRemove { get; } = new();
    public bool IsEmpty => FdbToAdd.Count == 0 && FdbToRemove.Count == 0 && NeighboursToSet.Count == 0 && NeighboursToRemove.Count == 0;
    public int Changes => FdbToAdd.Count + FdbToRemove.Count + NeighboursToSet.Count + NeighboursToRemove.Count;
}

/// <summary>What one reconcile did.</summary>
public sealed class OverlayApplyResult
{
    public int Devices { get; set; }
    public int Entries { get; set; }
    public int Added { get; set; }
    public int Removed { get; set; }
    public List<string> DevicesRemoved { get; } = new();
    public List<string> Errors { get; } = new();
}

/// <summary>
/// The overlay agent's kernel half (docs/overlay.md, "What runs where"). <see cref="Desired"/> is
/// pure: from a snapshot and this host's id, the entries every vxlan device should hold (L2
/// population as Docker's overlay does: nothing is learned or flooded). <see cref="Apply"/> reads
/// what the local vx- devices hold of VNet's own (permanent entries: the kernel and the bridge
/// never make those on a device without learning), and adds what is missing and removes what is
/// extra. Reading before writing is what makes it idempotent: run twice, or by a restarted agent,
/// it leaves exactly one entry of each.
/// </summary>
public static class OverlayReconciler
{
    /// <summary>The entries each overlay network's vxlan device should hold on host <paramref name="selfHostId"/>.</summary>
    public static Dictionary<string, OverlayDeviceState> Desired(ClusterSnapshot snapshot, string selfHostId)
    {
        var result = new Dictionary<string, OverlayDeviceState>(StringComparer.Ordinal);
        // Only live hosts: one whose lease expired is gone from snapshot.Hosts, and with it its entries.
        var remote = new Dictionary<string, HostRecord>(StringComparer.Ordinal);
        foreach (var h in snapshot.Hosts)
            if (h.Id != selfHostId && Ip(h.Underlay) is not null) remote[h.Id] = h;
        foreach (var net in snapshot.Networks)
        {
            if (net.Driver != "overlay" || net.Id.Length < 10) continue;
            var dev = new OverlayDeviceState { Device = OverlayDriver.VxlanOf(net), Network = net.Name, NetworkId = net.Id };
            result[dev.Device] = dev;
            foreach (var h in remote.Values)
                if (Mac(h.VtepMac) is string vtep) dev.Fdb.Add(new OverlayFdb(vtep, Ip(h.Underlay)!));
            foreach (var ep in snapshot.Endpoints)
            {
                if (ep.State != EndpointState.Active || ep.Host == null || !remote.TryGetValue(ep.Host, out var host)) continue;
                if (ep.NetworkId != net.Id && !(string.IsNullOrEmpty(ep.NetworkId) && ep.Network == net.Name)) continue;
                if (Mac(ep.MacAddress) is not string mac) continue;
                dev.Fdb.Add(new OverlayFdb(mac, Ip(host.Underlay)!));
                foreach (var cidr in ep.Addresses)
                    if (Ip(cidr) is string a) dev.Neighbours[a] = mac;
            }
        }
        return result;
    }

    /// <summary>What to change on one device to go from <paramref name="currentFdb"/> / <paramref name="currentNeighbours"/> to <paramref name="want"/>.</summary>
    public static OverlayDiff Diff(OverlayDeviceState want, IEnumerable<OverlayFdb> currentFdb, IReadOnlyDictionary<string, string> currentNeighbours)
    {
        var diff = new OverlayDiff();
        var have = currentFdb.ToHashSet();
        foreach (var e in have) if (!want.Fdb.Contains(e)) diff.FdbToRemove.Add(e);
        foreach (var e in want.Fdb) if (!have.Contains(e)) diff.FdbToAdd.Add(e);
        foreach (var (a, mac) in want.Neighbours)
            if (!currentNeighbours.TryGetValue(a, out var m) || m != mac) diff.NeighboursToSet[a] = mac;
        foreach (var a in currentNeighbours.Keys) if (!want.Neighbours.ContainsKey(a)) diff.NeighboursToRemove.Add(a);
        diff.FdbToRemove.Sort((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()));
        diff.FdbToAdd.Sort((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()));
        return diff;
    }

    /// <summary>The VNet-owned entries a vxlan device holds now: its own permanent FDB entries with a destination, its permanent neighbours.</summary>
    public static (List<OverlayFdb> Fdb, Dictionary<string, string> Neighbours) Current(NetContext ctx, string device)
    {
        var fdb = ctx.Fdb.List(null, iface: device)
            .Where(e => e.InterfaceName == device && e.RemoteVtep != null && e.State == "permanent" && e.Flags.Contains("self"))
            .Select(e => new OverlayFdb(e.MacAddress, Ip(e.RemoteVtep)!)).Distinct().ToList();
        var neigh = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in ctx.Neighbours.List(null, device))
            if (n.IsPermanent && n.MacAddress != null && Ip(n.Address) is string a) neigh[a] = n.MacAddress;
        return (fdb, neigh);
    }

    /// <summary>
    /// Brings every local vx- device of a network in <paramref name="desired"/> to its state. Devices
    /// are never made here (Connect does, under the network's lock). Each entry that fails is an
    /// error in the result; the others still go in.
    /// </summary>
    public static OverlayApplyResult Apply(NetContext ctx, IReadOnlyDictionary<string, OverlayDeviceState> desired) =>
        Apply(ctx, desired, LocalDevices(ctx));

    /// <summary>The same over the host's vx- devices listed once by the caller (<see cref="LocalDevices"/>).</summary>
    public static OverlayApplyResult Apply(NetContext ctx, IReadOnlyDictionary<string, OverlayDeviceState> desired, IReadOnlyList<string> local)
    {
        var result = new OverlayApplyResult();
        foreach (var device in local)
        {
            if (!desired.TryGetValue(device, out var want)) continue;
            result.Devices++;
            try
            {
                var (fdb, neigh) = Current(ctx, device);
                var diff = Diff(want, fdb, neigh);
                foreach (var e in diff.FdbToRemove) Try(result, () => { if (ctx.Fdb.RemoveRemote(device, e.Mac, e.Dst)) result.Removed++; });
                foreach (var a in diff.NeighboursToRemove) Try(result, () => { if (ctx.Neighbours.Remove(device, a)) result.Removed++; });
                foreach (var e in diff.FdbToAdd) Try(result, () => { ctx.Fdb.AddRemote(device, e.Mac, e.Dst); result.Added++; });
                foreach (var (a, mac) in diff.NeighboursToSet) Try(result, () => { ctx.Neighbours.AddPermanent(device, a, mac); result.Added++; });
                result.Entries += want.Fdb.Count + want.Neighbours.Count;
            }
            catch (VNetException e) when (e.ErrorId == "LinkNotFound")
            {
                // Removed meanwhile (a Remove on this host): nothing to program.
            }
        }
        return result;
    }

    /// <summary>Local vx- devices whose network is not in <paramref name="desired"/> (removed from the store): their network ids' first 10 hex digits.</summary>
    public static List<string> Orphans(IReadOnlyList<string> local, IReadOnlyDictionary<string, OverlayDeviceState> desired) =>
        local.Where(name => !desired.ContainsKey(name)).Select(name => name[OverlayDriver.VxlanPrefix.Length..]).ToList();

    /// <summary>The overlay's vxlan devices of this host (vx-ID10), by name: one link dump.</summary>
    public static List<string> LocalDevices(NetContext ctx) =>
        ctx.Links.List(null).Where(l => l.Kind == "vxlan" && l.Name.StartsWith(OverlayDriver.VxlanPrefix, StringComparison.Ordinal))
            .Select(l => l.Name).ToList();

    private static void Try(OverlayApplyResult r, Action a)
    {
        try { a(); }
        catch (VNetException e) { r.Errors.Add(e.Message); }
    }

    /// <summary>An address (a CIDR's address part) in canonical text, or null.</summary>
    internal static string? Ip(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        int slash = text.IndexOf('/');
        return IPAddress.TryParse(slash < 0 ? text : text[..slash], out var a) ? a.ToString() : null;
    }

    /// <summary>A unicast MAC in VNet's canonical text (lower case, colons), or null.</summary>
    internal static string? Mac(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try { return Validation.FormatMac(Validation.MacAddress(text)); }
        catch (VNetException) { return null; }
    }
}
