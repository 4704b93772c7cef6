using System.Net;
using System.Net.Sockets;
using VNet.Core.Networks.Cluster;

namespace VNet.Core.Networks;

/// <summary>
/// The store NetworkService uses by default: this host's networks from <see cref="LocalNetworkStore"/>
/// and, when a cluster store is set (<see cref="StoreSettings.Load"/>), the overlay networks from it.
/// A name lives in one of them only: an operation on a network goes to the local store when the
/// name is defined there, else to the cluster store. The cluster store is opened on first use, so
/// with no store set, or an unreachable one, local networks work exactly as without it: a list
/// shows the local ones and keeps the reason the overlay ones are missing in <see cref="ClusterReadFailure"/>
/// (the caller warns once).
/// </summary>
public sealed class CompositeNetworkStore : INetworkStore, IDisposable
{
    private readonly Func<StoreSettings, LocalNetworkStore, IClusterStore> _open;
    private readonly object _gate = new();
    private bool _loaded;
    private StoreSettings? _settings;
    private IClusterStore? _cluster;

    public CompositeNetworkStore(LocalNetworkStore? local = null, Func<StoreSettings, LocalNetworkStore, IClusterStore>? open = null)
    {
        Local = local ?? new LocalNetworkStore();
        _open = open ?? ((s, l) => new EtcdNetworkStore(s, l));
    }

    /// <summary>With settings given instead of read from store.json (tests play several hosts in one process).</summary>
    public CompositeNetworkStore(LocalNetworkStore local, StoreSettings? settings, Func<StoreSettings, LocalNetworkStore, IClusterStore>? open = null)
        : this(local, open)
    {
        _settings = settings;
        if (settings != null) _cluster = _open(settings, local);
        _loaded = true;
    }

    public LocalNetworkStore Local { get; }

    /// <summary>This host's store settings, read once; null when no store is set.</summary>
    public StoreSettings? ClusterSettings { get { Load(); return _settings; } }

    /// <summary>The cluster store, opened on first use (opening dials nothing); null when no store is set.</summary>
    public IClusterStore? Cluster { get { Load(); return _cluster; } }

    /// <summary>Why this thread's last list could not read the overlay networks (StoreUnavailable, StoreNoQuorum), or null.</summary>
    public VNetException? ClusterReadFailure { get => _failure.Value; private set => _failure.Value = value; }
    // Per thread: one store may serve concurrent calls, and each must see its own list's outcome.
    private readonly ThreadLocal<VNetException?> _failure = new();

    private void Load()
    {
        if (_loaded) return;
        lock (_gate)
        {
            if (_loaded) return;
            _settings = StoreSettings.Load();
            if (_settings != null) _cluster = _open(_settings, Local);
            _loaded = true;
        }
    }

    /// <summary>The store that holds a network: the local one when the name is defined there (a file read), else the cluster one.</summary>
    private INetworkStore For(string network) =>
        Local.GetDefinition(network) != null ? Local : (INetworkStore?)Cluster ?? Local;

    private INetworkStore ForNew(ContainerNetwork net) =>
        net.Scope == "global"
            ? Cluster ?? throw Messages.Error("StoreNotSet", VNetErrorCategory.InvalidOperation, net.Name, net.Name)
            : Local;

    public IDisposable LockNetworks(TimeSpan timeout) => Local.LockNetworks(timeout);
    public IDisposable LockNetwork(string network, TimeSpan timeout) => Local.LockNetwork(network, timeout);

    public IReadOnlyList<ContainerNetwork> ListNetworks() => ListNetworksVersioned().Networks;

    /// <summary>Local networks, then overlay ones (a name defined locally hides an overlay one of that name); the version is the cluster's.</summary>
    public (IReadOnlyList<ContainerNetwork> Networks, long Version) ListNetworksVersioned()
    {
        var list = Local.ListNetworks().ToList();
        long version = 0;
        ClusterReadFailure = null;
        if (Cluster is { } c)
        {
            try
            {
                var (overlay, v) = c.ListNetworksVersioned();
                version = v;
                var names = list.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
                list.AddRange(overlay.Where(n => !names.Contains(n.Name)));
                list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            }
            catch (VNetException e) when (e.ErrorId is "StoreUnavailable" or "StoreNoQuorum" or "StoreTimeout" or "StoreAccessDenied" or "StoreTlsFailed")
            {
                ClusterReadFailure = e;
            }
        }
        return (list, version);
    }

    public ContainerNetwork? GetNetwork(string name) => Local.GetNetwork(name) ?? Cluster?.GetNetwork(name);
    public ContainerNetwork? GetDefinition(string name) => Local.GetDefinition(name) ?? Cluster?.GetDefinition(name);
    public void SaveNetwork(ContainerNetwork network) => ForNew(network).SaveNetwork(network);
    public bool TryCreateNetwork(ContainerNetwork network, long listVersion) => ForNew(network).TryCreateNetwork(network, listVersion);
    public void DeleteNetwork(string name) => For(name).DeleteNetwork(name);

    public IReadOnlyList<ContainerEndpoint> ListEndpoints(string network) => For(network).ListEndpoints(network);
    public ContainerEndpoint? GetEndpoint(string network, string endpointId) => For(network).GetEndpoint(network, endpointId);
    public void SaveEndpoint(ContainerEndpoint endpoint) => For(endpoint.Network).SaveEndpoint(endpoint);
    public void DeleteEndpoint(string network, string endpointId) => For(network).DeleteEndpoint(network, endpointId);

    public bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict) =>
        For(pending.Network).TryReserve(pending, addresses, dynamic, out conflict);
    public bool PrefersBulkLeaseRead(string network) => For(network).PrefersBulkLeaseRead(network);
    public string? LocalHostId => ClusterSettings?.HostId;

    public bool TryClaimAddress(string network, IPAddress address, string endpointId) => For(network).TryClaimAddress(network, address, endpointId);
    public string? AddressHolder(string network, IPAddress address) => For(network).AddressHolder(network, address);
    public void ReleaseAddress(string network, IPAddress address) => For(network).ReleaseAddress(network, address);
    public IReadOnlyDictionary<IPAddress, string> Leases(string network) => For(network).Leases(network);
    public IPAddress? LastAllocated(string network, AddressFamily family) => For(network).LastAllocated(network, family);
    public void SetLastAllocated(string network, IPAddress address) => For(network).SetLastAllocated(network, address);

    /// <summary>The local store's version, mixed with the cluster's revision when it answers (a resolver re-reads when either moves).</summary>
    public long Version()
    {
        long v = Local.Version();
        if (Cluster is { } c)
        {
            try { v = unchecked(v * 31 + c.Version()); }
            catch (VNetException) { } // unreachable: the local part still moves
        }
        return v;
    }

    public void Dispose()
    {
        _cluster?.Dispose();
        _failure.Dispose();
    }
}
