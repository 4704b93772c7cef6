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
    /// Walks every namespace VNet can find (the caller's first, then named ones, then Docker's and
    /// processes'), lists its veths with their peers, and keeps each cable once, seen from the end
    /// found first: for a container's cable, the host end. <paramref name="namePattern"/> matches either end's name.
    /// </summary>
    public static List<VethPair> List(NetContext ctx, string? namePattern = null)
    {
        var namespaces = ctx.Namespaces.List()
            .OrderBy(n => n.IsCurrent ? 0 : n.Name != null ? 1 : 2)
            .ThenBy(n => n.Namespace, StringComparer.Ordinal)
            .ToList();
        var seen = new HashSet<(ulong Inode, int Index)>();
        var result = new List<VethPair>();
        foreach (var ns in namespaces)
        {
            string? where = ns.IsCurrent ? null : ns.Namespace;
            List<VethPair> veths;
            try
            {
                veths = ctx.Veths.List(where);
            }
            catch (VNetException)
            {
                continue; // its last process ended while we looked: nothing of it to show
            }
            foreach (var v in veths)
            {
                if (!seen.Add((ns.Inode, v.Index))) continue;
                if (v.PeerNamespaceInode is ulong pino && v.PeerIndex is int pidx) seen.Add((pino, pidx));
                if (namePattern != null && !Wildcard.IsMatch(v.Name, namePattern) && (v.PeerName == null || !Wildcard.IsMatch(v.PeerName, namePattern))) continue;
                result.Add(new VethPair
                {
                    Name = v.Name, Namespace = where, Index = v.Index, MacAddress = v.MacAddress, Mtu = v.Mtu, State = v.State, Master = v.Master,
                    Container = ns.ContainerName,
                    PeerName = v.PeerName, PeerNamespace = v.PeerNamespace, PeerNamespaceInode = v.PeerNamespaceInode, PeerIndex = v.PeerIndex,
                    PeerMacAddress = v.PeerMacAddress, Processes = v.Processes, PeerProcesses = v.PeerProcesses,
                    PeerContainer = v.PeerContainer, PeerContainerId = v.PeerContainerId, PeerResolved = v.PeerResolved,
                });
            }
        }
        return result;
    }
}
