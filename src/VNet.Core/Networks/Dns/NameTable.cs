using System.Net;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// One snapshot of who answers to what, read from the store: for every network its members'
/// names (primary name and aliases, each also as name.network) with their addresses, the reverse
/// map for PTR, and which networks each namespace (by inode) belongs to. Only Active endpoints
/// count: a Pending one is still being built and must not resolve yet.
/// Immutable once built, so the resolver swaps it whole when the store's version changes.
/// </summary>
public sealed class NameTable
{
    private sealed class NetworkNames
    {
        public readonly Dictionary<string, List<IPAddress>> Names = new(StringComparer.OrdinalIgnoreCase);
        public readonly Dictionary<IPAddress, string> Reverse = new();
    }

    private readonly Dictionary<string, NetworkNames> _networks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<ulong, List<string>> _membership = new();
    private readonly List<ContainerEndpoint> _members = new();

    public static readonly NameTable Empty = new();

    /// <summary>The store version this snapshot was read at.</summary>
    public long Version { get; private init; }

    /// <summary>Every Active endpoint, for the agent to know which namespaces need a listener.</summary>
    public IReadOnlyList<ContainerEndpoint> Members => _members;

    /// <summary>The cluster store revision the overlay part was read at (0: no overlay part).</summary>
    public long OverlayRevision { get; private init; }
    /// <summary>The snapshot it was read from, so the resolver knows a newer one by reference.</summary>
    internal Cluster.ClusterSnapshot? Overlay { get; private init; }

    /// <summary>
    /// Reads the local networks from <paramref name="store"/> and, when the agent follows a cluster
    /// store, the overlay networks from its latest <paramref name="overlay"/> snapshot (no store
    /// round trip per query). An overlay's names are every host's endpoints; but only this host's
    /// endpoints (<paramref name="selfHostId"/>) make a namespace a member: another host's inode
    /// numbers mean nothing here.
    /// </summary>
    public static NameTable Load(INetworkStore store, Cluster.ClusterSnapshot? overlay = null, string? selfHostId = null)
    {
        // Read the version first: a change after it makes the next query reload again, never miss one.
        var table = new NameTable { Version = store.Version(), OverlayRevision = overlay?.Revision ?? 0, Overlay = overlay };
        var fromSnapshot = overlay?.Networks.Select(n => n.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? new HashSet<string>();
        foreach (var network in store.ListNetworks())
        {
            // An overlay network a composite store also lists: the snapshot is the one read.
            if (fromSnapshot.Contains(network.Name)) continue;
            var names = new NetworkNames();
            table._networks[network.Name] = names;
            foreach (var e in store.ListEndpoints(network.Name))
                table.AddEndpoint(names, network.Name, e, local: !NetworkService.OnOtherHost(e, selfHostId));
        }
        if (overlay != null)
        {
            foreach (var network in overlay.Networks)
            {
                var names = new NetworkNames();
                table._networks[network.Name] = names;
                foreach (var e in overlay.Endpoints)
                    if (e.NetworkId == network.Id || (string.IsNullOrEmpty(e.NetworkId) && e.Network == network.Name))
                        table.AddEndpoint(names, network.Name, e, local: e.Host == selfHostId);
            }
        }
        return table;
    }

    private void AddEndpoint(NetworkNames names, string network, ContainerEndpoint e, bool local)
    {
        if (e.State != EndpointState.Active) return;
        if (local)
        {
            _members.Add(e);
            if (e.NamespaceInode != 0)
            {
                if (!_membership.TryGetValue(e.NamespaceInode, out var list)) _membership[e.NamespaceInode] = list = new List<string>();
                if (!list.Contains(network, StringComparer.OrdinalIgnoreCase)) list.Add(network);
            }
        }
        var addresses = e.Addresses.Select(ParseAddress).Where(a => a != null).Select(a => a!).ToList();
        foreach (var name in e.Names.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            Add(names.Names, name.TrimEnd('.'), addresses);
            Add(names.Names, name.TrimEnd('.') + "." + network, addresses);
        }
        // PTR answers with the primary name qualified by the network, as Docker's resolver does.
        string? primary = e.Names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
        if (primary != null)
            foreach (var a in addresses) names.Reverse.TryAdd(a, primary.TrimEnd('.') + "." + network);
    }

    private static void Add(Dictionary<string, List<IPAddress>> map, string name, List<IPAddress> addresses)
    {
        if (!map.TryGetValue(name, out var list)) map[name] = list = new List<IPAddress>();
        foreach (var a in addresses) if (!list.Contains(a)) list.Add(a);
    }

    private static IPAddress? ParseAddress(string cidr)
    {
        int slash = cidr.IndexOf('/');
        return IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out var a) ? a : null;
    }

    /// <summary>The networks a namespace is an Active member of (empty for a stranger).</summary>
    public IReadOnlyList<string> NetworksOf(ulong namespaceInode) =>
        _membership.TryGetValue(namespaceInode, out var list) ? list : Array.Empty<string>();

    /// <summary>Is this name one of the asker's networks' (even with no address of the asked family)?</summary>
    public bool TryLookup(ulong askerInode, string name, out IReadOnlyList<IPAddress> addresses)
    {
        name = name.TrimEnd('.');
        List<IPAddress>? found = null;
        foreach (var network in NetworksOf(askerInode))
        {
            if (!_networks.TryGetValue(network, out var names) || !names.Names.TryGetValue(name, out var list)) continue;
            found ??= new List<IPAddress>();
            foreach (var a in list) if (!found.Contains(a)) found.Add(a);
        }
        addresses = found ?? (IReadOnlyList<IPAddress>)Array.Empty<IPAddress>();
        return found != null;
    }

    /// <summary>
    /// Is <paramref name="name"/> of the form x.NETWORK for a network of this host (so it is ours to
    /// deny, not to forward: a network's names are local, and an outsider asking for them learns nothing)?
    /// </summary>
    public bool IsNetworkDomain(string name)
    {
        name = name.TrimEnd('.');
        // Every suffix after a dot, so a network whose name has dots of its own counts too.
        for (int dot = name.IndexOf('.'); dot > 0; dot = name.IndexOf('.', dot + 1))
            if (_networks.ContainsKey(name[(dot + 1)..])) return true;
        return false;
    }

    /// <summary>The name of an address in one of the asker's networks, or null.</summary>
    public string? ReverseLookup(ulong askerInode, IPAddress address)
    {
        foreach (var network in NetworksOf(askerInode))
            if (_networks.TryGetValue(network, out var names) && names.Reverse.TryGetValue(address, out var name)) return name;
        return null;
    }
}
