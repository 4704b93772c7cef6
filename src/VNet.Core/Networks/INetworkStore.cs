using System.Net;

namespace VNet.Core.Networks;

/// <summary>
/// Where networks, endpoints and address leases live. Two implementations: the local store (this
/// host: definitions under the state root, runtime under the run root, flock locks) and, for overlay
/// networks, etcd. IPAM and the network operations are written once against this interface; only
/// the compare-and-swap underneath differs.
/// Readers tolerate stale data: the kernel is the truth for what exists, the store for what VNet
/// meant to make, and Repair reconciles the two.
/// </summary>
public interface INetworkStore
{
    /// <summary>The lock for creating and removing networks (so a subnet overlap check and the create that follows are atomic).</summary>
    IDisposable LockNetworks(TimeSpan timeout);
    /// <summary>The lock of one network: its leases and endpoints change only under it.</summary>
    IDisposable LockNetwork(string network, TimeSpan timeout);

    IReadOnlyList<ContainerNetwork> ListNetworks();
    ContainerNetwork? GetNetwork(string name);
    /// <summary>
    /// The definition alone, without counting endpoints (Connect reads it every time; counting is a
    /// directory scan that would grow with the network).
    /// </summary>
    ContainerNetwork? GetDefinition(string name) => GetNetwork(name);
    /// <summary>Writes a definition atomically (temp file, fsync, rename).</summary>
    void SaveNetwork(ContainerNetwork network);
    /// <summary>Deletes a definition and every runtime record of the network.</summary>
    void DeleteNetwork(string name);

    IReadOnlyList<ContainerEndpoint> ListEndpoints(string network);
    ContainerEndpoint? GetEndpoint(string network, string endpointId);
    /// <summary>Writes an endpoint atomically; the same id overwrites (Pending → Active).</summary>
    void SaveEndpoint(ContainerEndpoint endpoint);
    void DeleteEndpoint(string network, string endpointId);

    /// <summary>Claims an address for an endpoint; false when someone holds it already. Atomic on its own (O_EXCL), so it is safe even outside the network's lock.</summary>
    bool TryClaimAddress(string network, IPAddress address, string endpointId);
    /// <summary>The endpoint id holding an address, or null.</summary>
    string? AddressHolder(string network, IPAddress address);
    void ReleaseAddress(string network, IPAddress address);
    /// <summary>Every address with a lease, and its holder.</summary>
    IReadOnlyDictionary<IPAddress, string> Leases(string network);

    /// <summary>The last address handed out dynamically in a family (round-robin allocation starts after it).</summary>
    IPAddress? LastAllocated(string network, System.Net.Sockets.AddressFamily family);
    void SetLastAllocated(string network, IPAddress address);

    /// <summary>
    /// Transaction 1 of a Connect: claims every one of <paramref name="addresses"/> for the endpoint,
    /// writes the Pending record and moves the round-robin position to each of <paramref name="dynamic"/>,
    /// all or nothing. False when someone holds one of the addresses already (<paramref name="conflict"/>
    /// names it when the store knows): nothing of the call is left then. The local store claims with
    /// O_EXCL files (releasing what it claimed when one fails); etcd does it in one transaction.
    /// </summary>
    bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict);

    /// <summary>True when reading every lease costs about as much as reading one (etcd: one range read), so IPAM reads a network's leases all at once.</summary>
    bool PrefersBulkLeaseRead(string network) => false;

    /// <summary>The id of this host in a store shared by hosts (endpoints of other hosts are theirs to repair); null for a host-local store.</summary>
    string? LocalHostId => null;
    /// <summary>The cluster store setting this store works with (overlay networks), or null: what the overlay driver makes this host's devices from.</summary>
    Cluster.StoreSettings? ClusterSettings => null;

    /// <summary>Every network and a version of the list that <see cref="TryCreateNetwork"/> compares (0 where a lock makes it moot).</summary>
    (IReadOnlyList<ContainerNetwork> Networks, long Version) ListNetworksVersioned() => (ListNetworks(), 0);

    /// <summary>
    /// Saves a new network's definition unless the name is taken or the list read at
    /// <paramref name="listVersion"/> changed since (so the caller's overlap check still holds);
    /// false then, and the caller reads again. The local store runs under <see cref="LockNetworks"/>
    /// already, so it just saves.
    /// </summary>
    bool TryCreateNetwork(ContainerNetwork network, long listVersion)
    {
        SaveNetwork(network);
        return true;
    }

    /// <summary>
    /// A number that changes whenever any endpoint of any network is saved or deleted, cheap enough
    /// to ask per DNS query (a stat), so a resolver can cache and still answer a name as soon as
    /// Connect returns and stop as soon as Disconnect returns.
    /// </summary>
    long Version();
}
