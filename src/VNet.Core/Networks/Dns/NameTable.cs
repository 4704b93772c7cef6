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

    public static NameTable Load(INetworkStore store)
    {
        // Read the version first: a change after it makes the next query reload again, never miss one.
        var table = new NameTable { Version = store.Version() };
        foreach (var network in store.ListNetworks())
        {
            var names = new NetworkNames();
            table._networks[network.Name] = names;
            foreach (var e in store.ListEndpoints(network.Name))
            {
                if (e.State != EndpointState.Active) continue;
                table._members.Add(e);
                if (e.NamespaceInode != 0)
                {
                    if (!table._membership.TryGetValue(e.NamespaceInode, out var list)) table._membership[e.NamespaceInode] = list = new List<string>();
                    if (!list.Contains(network.Name, StringComparer.OrdinalIgnoreCase)) list.Add(network.Name);
                }
                var addresses = e.Addresses.Select(ParseAddress).Where(a => a != null).Select(a => a!).ToList();
                foreach (var name in e.Names.Where(n => !string.IsNullOrWhiteSpace(n)))
                {
                    Add(names.Names, name.TrimEnd('.'), addresses);
                    Add(names.Names, name.TrimEnd('.') + "." + network.Name, addresses);
                }
                // PTR answers with the primary name qualified by the network, as Docker's resolver does.
                string? primary = e.Names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
                if (primary != null)
                    foreach (var a in addresses) names.Reverse.TryAdd(a, primary.TrimEnd('.') + "." + network.Name);
            }
        }
        return table;
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
