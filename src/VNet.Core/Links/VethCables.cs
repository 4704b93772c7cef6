using VNet.Core.Namespaces;

namespace VNet.Core.Links;

/// <summary>
/// Every veth cable on the host once, whichever namespaces its ends are in (Get-VethPair
/// -AllNamespaces): the wiring of the whole host in one call, instead of `ip link` in each
/// namespace and matching `@ifN` indexes by hand.
/// </summary>
public static class VethCables
{
    /// <summary>
    /// Walks every namespace VNet can find, lists its veths with their peers, and keeps each cable
    /// once. It is shown from the end a user calls "the host side": the end on a bridge, else the
    /// end in the caller's namespace, else the end found first (the caller's namespace is walked
    /// first, then named ones, then Docker's and processes'). <paramref name="namePattern"/>
    /// matches either end's name.
    /// </summary>
    public static List<VethPair> List(NetContext ctx, string? namePattern = null)
    {
        var namespaces = ctx.Namespaces.List()
            .OrderBy(n => n.IsCurrent ? 0 : n.Name != null ? 1 : 2)
            .ThenBy(n => n.Namespace, StringComparer.Ordinal)
            .ToList();
        var ends = new List<(NetNamespace Ns, VethPair End)>();
        var byKey = new Dictionary<(ulong Inode, int Index), (NetNamespace Ns, VethPair End)>();
        foreach (var ns in namespaces)
        {
            List<VethPair> veths;
            try
            {
                veths = ctx.Veths.List(ns.IsCurrent ? null : ns.Namespace);
            }
            catch (VNetException)
            {
                continue; // its last process ended while we looked: nothing of it to show
            }
            foreach (var v in veths)
            {
                if (!byKey.TryAdd((ns.Inode, v.Index), (ns, v))) continue;
                ends.Add((ns, v));
            }
        }
        static int Rank((NetNamespace Ns, VethPair End) e) => (e.End.Master != null ? 2 : 0) + (e.Ns.IsCurrent ? 1 : 0);
        var seen = new HashSet<(ulong, int)>();
        var result = new List<VethPair>();
        foreach (var e in ends)
        {
            if (seen.Contains((e.Ns.Inode, e.End.Index))) continue;
            var shown = e;
            if (e.End.PeerNamespaceInode is ulong pino && e.End.PeerIndex is int pidx && byKey.TryGetValue((pino, pidx), out var peer))
            {
                seen.Add((pino, pidx));
                if (Rank(peer) > Rank(e)) shown = peer;
            }
            seen.Add((e.Ns.Inode, e.End.Index));
            var (ns, v) = shown;
            if (namePattern != null && !Wildcard.IsMatch(v.Name, namePattern) && (v.PeerName == null || !Wildcard.IsMatch(v.PeerName, namePattern))) continue;
            result.Add(new VethPair
            {
                Name = v.Name, Namespace = ns.IsCurrent ? null : ns.Namespace, Index = v.Index, MacAddress = v.MacAddress, Mtu = v.Mtu, State = v.State,
                Master = v.Master, Container = ns.ContainerName,
                PeerName = v.PeerName, PeerNamespace = v.PeerNamespace, PeerNamespaceInode = v.PeerNamespaceInode, PeerIndex = v.PeerIndex,
                PeerMacAddress = v.PeerMacAddress, Processes = v.Processes, PeerProcesses = v.PeerProcesses,
                PeerContainer = v.PeerContainer, PeerContainerId = v.PeerContainerId, PeerResolved = v.PeerResolved,
            });
        }
        return result;
    }
}
