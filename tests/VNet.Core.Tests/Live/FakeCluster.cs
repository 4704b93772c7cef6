using System.Net;
using VNet.Core.Networks;
using VNet.Core.Networks.Cluster;

namespace VNet.Core.Tests.Live;

/// <summary>
/// An in-memory cluster store shared by emulated hosts (what etcd is to real ones): a revision
/// bumped by every change, watchers told of each, host records under "leases" a test can expire,
/// and an outage switch (reads fail, watches break) — enough to drive the overlay agent and
/// reconciler without etcd.
/// </summary>
public sealed class FakeCluster
{
    private readonly object _lock = new();
    private readonly Dictionary<string, HostRecord> _hosts = new();
    private readonly Dictionary<string, ContainerNetwork> _networks = new();
    private readonly Dictionary<string, ContainerEndpoint> _endpoints = new();
    private readonly Dictionary<(string, string), string> _leases = new();
    private readonly List<Watcher> _watchers = new();
    private long _revision = 1;
    private bool _down;
    public int Snapshots;

    private sealed class Watcher : IDisposable
    {
        public FakeCluster Cluster = null!;
        public Action<long> OnChange = null!;
        public Action<Exception> OnBroken = null!;
        public void Dispose() { lock (Cluster._lock) Cluster._watchers.Remove(this); }
    }

    public long Revision { get { lock (_lock) return _revision; } }

    /// <summary>Reads fail and every watch breaks until <see cref="Up"/>.</summary>
    public void Down()
    {
        List<Watcher> broken;
        lock (_lock)
        {
            _down = true;
            broken = _watchers.ToList();
            _watchers.Clear();
        }
        foreach (var w in broken) ThreadPool.QueueUserWorkItem(_ => w.OnBroken(Unavailable()));
    }

    public void Up() { lock (_lock) _down = false; }

    /// <summary>As `etcdctl compact` does to watchers behind it: every watch ends (the store stays up).</summary>
    public void Compact()
    {
        List<Watcher> broken;
        lock (_lock)
        {
            broken = _watchers.ToList();
            _watchers.Clear();
        }
        foreach (var w in broken) ThreadPool.QueueUserWorkItem(_ => w.OnBroken(new VNetException("StoreCompacted", VNetErrorCategory.InvalidOperation, "the watched revision was compacted")));
    }

    /// <summary>A host's lease ran out (its agent died): its record goes.</summary>
    public void Expire(string hostId) => Change(() => _hosts.Remove(hostId));

    public void PutNetwork(ContainerNetwork n) => Change(() => _networks[n.Name] = n);
    public void DeleteNetwork(string name) => Change(() => _networks.Remove(name));
    public void PutEndpoint(ContainerEndpoint e) => Change(() => _endpoints[e.Network + "/" + e.Id] = e);
    public void DeleteEndpoint(string network, string id) => Change(() => _endpoints.Remove(network + "/" + id));

    internal void Change(Action a)
    {
        List<Watcher> told;
        long rev;
        lock (_lock)
        {
            a();
            rev = ++_revision;
            told = _watchers.ToList();
        }
        // As a store client does: callbacks on a thread of its own.
        foreach (var w in told) ThreadPool.QueueUserWorkItem(_ => w.OnChange(rev));
    }

    private static VNetException Unavailable() => new("StoreUnavailable", VNetErrorCategory.ResourceBusy, "the fake cluster store is down");

    private void ThrowIfDown() { if (_down) throw Unavailable(); }

    public ClusterSnapshot Snapshot()
    {
        lock (_lock)
        {
            ThrowIfDown();
            Snapshots++;
            return new ClusterSnapshot
            {
                Revision = _revision,
                Hosts = _hosts.Values.Select(h => new HostRecord { Id = h.Id, Name = h.Name, Underlay = h.Underlay, VtepMac = h.VtepMac }).ToList(),
                Networks = _networks.Values.ToList(),
                Endpoints = _endpoints.Values.ToList(),
            };
        }
    }

    public IReadOnlyList<HostRecord> Hosts { get { lock (_lock) return _hosts.Values.ToList(); } }

    public IClusterStore For(StoreSettings settings) => new Store(this, settings);

    private sealed class Registration : IHostRegistration
    {
        public FakeCluster Cluster = null!;
        public string HostId = "";
        public long LeaseId { get; init; }
        public bool Alive { get { lock (Cluster._lock) return Cluster._hosts.ContainsKey(HostId); } }
        public void Dispose() => Cluster.Change(() => Cluster._hosts.Remove(HostId));
    }

    private sealed class Store : IClusterStore
    {
        private readonly FakeCluster _c;
        public Store(FakeCluster c, StoreSettings s) { _c = c; Settings = s; }
        public StoreSettings Settings { get; }
        public ClusterSnapshot Snapshot() => _c.Snapshot();

        public IDisposable Watch(long afterRevision, Action<long> onChange, Action<Exception> onBroken)
        {
            var w = new Watcher { Cluster = _c, OnChange = onChange, OnBroken = onBroken };
            long now;
            lock (_c._lock)
            {
                if (_c._down) { ThreadPool.QueueUserWorkItem(_ => onBroken(Unavailable())); return w; }
                _c._watchers.Add(w);
                now = _c._revision;
            }
            // Changes between the snapshot and the watch are delivered, as etcd's watch from a revision does.
            if (now > afterRevision) ThreadPool.QueueUserWorkItem(_ => onChange(now));
            return w;
        }

        public IHostRegistration RegisterHost(HostRecord host, TimeSpan ttl)
        {
            lock (_c._lock) _c.ThrowIfDown();
            _c.Change(() => _c._hosts[host.Id] = host);
            return new Registration { Cluster = _c, HostId = host.Id, LeaseId = host.Id.GetHashCode() & 0x7fffffff };
        }

        public IDisposable LockNetworks(TimeSpan timeout) => new Nothing();
        public IDisposable LockNetwork(string network, TimeSpan timeout) => new Nothing();
        public IReadOnlyList<ContainerNetwork> ListNetworks() { lock (_c._lock) return _c._networks.Values.ToList(); }
        public ContainerNetwork? GetNetwork(string name) { lock (_c._lock) return _c._networks.GetValueOrDefault(name); }
        public void SaveNetwork(ContainerNetwork network)
        {
            // As the etcd store does at New: a VNI unique in the cluster when none was given.
            if (network.Driver == "overlay" && !network.Options.ContainsKey("vnet.vni"))
                lock (_c._lock) network.Options["vnet.vni"] = (4096 + _c._networks.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _c.PutNetwork(network);
        }
        public void DeleteNetwork(string name) => _c.DeleteNetwork(name);
        public IReadOnlyList<ContainerEndpoint> ListEndpoints(string network) { lock (_c._lock) return _c._endpoints.Values.Where(e => e.Network == network).ToList(); }
        public ContainerEndpoint? GetEndpoint(string network, string endpointId) { lock (_c._lock) return _c._endpoints.GetValueOrDefault(network + "/" + endpointId); }
        public void SaveEndpoint(ContainerEndpoint endpoint) => _c.PutEndpoint(endpoint);
        public void DeleteEndpoint(string network, string endpointId) => _c.DeleteEndpoint(network, endpointId);
        public bool TryClaimAddress(string network, IPAddress address, string endpointId)
        {
            lock (_c._lock) return _c._leases.TryAdd((network, address.ToString()), endpointId);
        }
        public bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict)
        {
            // All or nothing under the fake's one lock, as etcd's transaction does.
            lock (_c._lock)
            {
                conflict = addresses.FirstOrDefault(a => _c._leases.ContainsKey((pending.Network, a.ToString())));
                if (conflict != null) return false;
                foreach (var a in addresses) _c._leases[(pending.Network, a.ToString())] = pending.Id;
            }
            _c.PutEndpoint(pending);
            return true;
        }
        public string? AddressHolder(string network, IPAddress address) { lock (_c._lock) return _c._leases.GetValueOrDefault((network, address.ToString())); }
        public void ReleaseAddress(string network, IPAddress address) { lock (_c._lock) _c._leases.Remove((network, address.ToString())); }
        public IReadOnlyDictionary<IPAddress, string> Leases(string network)
        {
            lock (_c._lock) return _c._leases.Where(kv => kv.Key.Item1 == network).ToDictionary(kv => IPAddress.Parse(kv.Key.Item2), kv => kv.Value);
        }
        public IPAddress? LastAllocated(string network, System.Net.Sockets.AddressFamily family) => null;
        public void SetLastAllocated(string network, IPAddress address) { }
        public long Version() => _c.Revision;
        public void Dispose() { }
    }

    private sealed class Nothing : IDisposable { public void Dispose() { } }
}
