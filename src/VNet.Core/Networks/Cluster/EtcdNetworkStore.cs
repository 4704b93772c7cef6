using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace VNet.Core.Networks.Cluster;

// The overlay networks' store on etcd: the keys of docs/overlay.md under /vnet/v1/. Correctness
// across hosts comes from etcd transactions only (the flocks of LockNetwork/LockNetworks serialise
// the callers of this host, nothing more):
//  - a create is one txn: networks/<name> absent, vnis/<vni> absent, meta/networks unchanged since
//    the list the overlap check read (so two racing creates with overlapping subnets cannot both win);
//  - a Connect is two writes: TryReserve (every lease absent → leases + Pending endpoint + lastalloc,
//    all or nothing) and the Active put.
// What a kill -9 leaves, per step of Connect on an overlay network:
//  - before TryReserve's txn: nothing in etcd;
//  - after it: leases held by a Pending endpoint whose Host is this host and whose owner pid is dead.
//    The next Connect of the same namespace on this host rolls it back (same endpoint id), and so
//    does Repair-ContainerNetwork on this host; other hosts leave it alone (Repair skips endpoints of
//    other hosts), they only ever read it;
//  - after the Active put: an endpoint like any other, removed by Disconnect, or by Repair on this
//    host once its namespace is gone.

/// <summary>
/// <see cref="IClusterStore"/> on etcd (see the comment above for the guarantees).
/// Every failure to reach the store is a <see cref="VNetException"/> StoreUnavailable,
/// StoreNoQuorum, StoreTimeout, StoreAccessDenied or StoreTlsFailed (from <see cref="EtcdConnection"/>).
/// </summary>
public sealed class EtcdNetworkStore : IClusterStore
{
    public const string Prefix = "/vnet/v1/";
    private static readonly JsonSerializerOptions Json = new();
    private readonly EtcdConnection _c;
    private readonly LocalNetworkStore _locks;
    private long _writes, _conflicts;

    public EtcdNetworkStore(StoreSettings settings, LocalNetworkStore? locks = null)
    {
        Settings = settings;
        _c = new EtcdConnection(settings);
        _locks = locks ?? new LocalNetworkStore();
    }

    public StoreSettings Settings { get; }
    public EtcdConnection Connection => _c;
    public string? LocalHostId => Settings.HostId;
    public bool PrefersBulkLeaseRead(string network) => true;

    /// <summary>Write requests (txn, put, delete) this store has sent: a Connect without contention makes two.</summary>
    public long Writes => Interlocked.Read(ref _writes);
    /// <summary>Reservations that lost a race (another endpoint took an address between the read and the txn).</summary>
    public long ReserveConflicts => Interlocked.Read(ref _conflicts);

    private static string NetworkKey(string name) => Prefix + "networks/" + name;
    private static string VniKey(int vni) => Prefix + "vnis/" + vni.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private const string MetaNetworks = Prefix + "meta/networks";
    private static string EndpointPrefix(string net) => Prefix + "endpoints/" + net + "/";
    private static string LeasePrefix(string net) => Prefix + "leases/" + net + "/";
    private static string LeaseKey(string net, IPAddress a) => LeasePrefix(net) + a;
    private static string LastKey(string net, AddressFamily f) => Prefix + "lastalloc/" + net + "/" + (f == AddressFamily.InterNetworkV6 ? "6" : "4");
    private static string HostKey(string id) => Prefix + "hosts/" + id;

    /// <summary>The VNI an overlay definition carries in Options["vnet.vni"], or null.</summary>
    public static int? VniOf(ContainerNetwork n) =>
        n.Options.TryGetValue(Drivers.OverlayDriver.VniOption, out var v) && int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : null;

    // ---- plumbing -------------------------------------------------------------------------------

    private RangeResponse Get(string what, string key, long revision = 0) =>
        _c.Call(what, (m, d) => _c.Kv.Range(new RangeRequest { Key = EtcdConnection.Key(key), Revision = revision }, m, d), idempotent: true);

    private RangeResponse List(string what, string prefix, long revision = 0, bool keysOnly = false) =>
        _c.Call(what, (m, d) => _c.Kv.Range(new RangeRequest { Key = EtcdConnection.Key(prefix), RangeEnd = EtcdConnection.PrefixEnd(prefix), Revision = revision, KeysOnly = keysOnly }, m, d), idempotent: true);

    private TxnResponse Txn(string what, TxnRequest t)
    {
        Interlocked.Increment(ref _writes);
        return _c.Call(what, (m, d) => _c.Kv.Txn(t, m, d));
    }

    private void Put(string what, string key, ByteString value, long lease = 0)
    {
        Interlocked.Increment(ref _writes);
        _c.Call(what, (m, d) => _c.Kv.Put(new PutRequest { Key = EtcdConnection.Key(key), Value = value, Lease = lease }, m, d));
    }

    private void Delete(string what, string key, bool prefix = false)
    {
        Interlocked.Increment(ref _writes);
        var r = new DeleteRangeRequest { Key = EtcdConnection.Key(key) };
        if (prefix) r.RangeEnd = EtcdConnection.PrefixEnd(key);
        _c.Call(what, (m, d) => _c.Kv.DeleteRange(r, m, d));
    }

    private static ByteString ToJson<T>(T value) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(value, Json));
    private static T? FromJson<T>(ByteString b) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(b.Span, Json); }
        catch (JsonException) { return null; } // a hand-written key: skipped, as the local store skips a broken file
    }

    private static Compare Absent(string key) => new()
    {
        Key = EtcdConnection.Key(key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0,
    };
    private static RequestOp PutOp(string key, ByteString value) => new() { RequestPut = new PutRequest { Key = EtcdConnection.Key(key), Value = value } };
    private static RequestOp GetOp(string key) => new() { RequestRange = new RangeRequest { Key = EtcdConnection.Key(key) } };
    private static RequestOp DeleteOp(string key, bool prefix = false)
    {
        var r = new DeleteRangeRequest { Key = EtcdConnection.Key(key) };
        if (prefix) r.RangeEnd = EtcdConnection.PrefixEnd(key);
        return new RequestOp { RequestDeleteRange = r };
    }

    // ---- locks: host-local only -------------------------------------------------------------------

    public IDisposable LockNetworks(TimeSpan timeout) => _locks.LockNetworks(timeout);
    public IDisposable LockNetwork(string network, TimeSpan timeout) => _locks.LockNetwork(network, timeout);

    // ---- networks ---------------------------------------------------------------------------------

    public IReadOnlyList<ContainerNetwork> ListNetworks() => ListNetworksVersioned().Networks;

    /// <summary>Every overlay network with its endpoint count, and the mod revision of meta/networks the list was read at (what a create compares).</summary>
    public (IReadOnlyList<ContainerNetwork> Networks, long Version) ListNetworksVersioned()
    {
        var nets = List("list overlay networks", Prefix + "networks/");
        long rev = nets.Header.Revision;
        var eps = List("count endpoints", Prefix + "endpoints/", rev, keysOnly: true);
        var meta = Get("read meta/networks", MetaNetworks, rev);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kv in eps.Kvs)
        {
            var rest = kv.Key.ToStringUtf8()[(Prefix.Length + "endpoints/".Length)..];
            int slash = rest.IndexOf('/');
            if (slash > 0) counts[rest[..slash]] = counts.GetValueOrDefault(rest[..slash]) + 1;
        }
        var list = new List<ContainerNetwork>();
        foreach (var kv in nets.Kvs)
            if (FromJson<ContainerNetwork>(kv.Value) is { } n)
            {
                n.EndpointCount = counts.GetValueOrDefault(n.Name);
                list.Add(n);
            }
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (list, meta.Kvs.Count > 0 ? meta.Kvs[0].ModRevision : 0);
    }

    public ContainerNetwork? GetNetwork(string name)
    {
        var n = GetDefinition(name);
        if (n != null)
            n.EndpointCount = (int)_c.Call("count endpoints of " + name, (m, d) => _c.Kv.Range(new RangeRequest
            {
                Key = EtcdConnection.Key(EndpointPrefix(name)), RangeEnd = EtcdConnection.PrefixEnd(EndpointPrefix(name)), CountOnly = true,
            }, m, d)).Count;
        return n;
    }

    public ContainerNetwork? GetDefinition(string name)
    {
        var r = Get("read network " + name, NetworkKey(name));
        return r.Kvs.Count == 0 ? null : FromJson<ContainerNetwork>(r.Kvs[0].Value);
    }

    /// <summary>Overwrites an existing definition (a create goes through <see cref="TryCreateNetwork"/>).</summary>
    public void SaveNetwork(ContainerNetwork network) => Put("save network " + network.Name, NetworkKey(network.Name), ToJson(network));

    /// <summary>
    /// Creates a network in one transaction: its name and VNI still free, and no network created or
    /// removed since the list at <paramref name="listVersion"/> was read (the caller's overlap check
    /// is still true). False when any of that changed: the caller reads again and decides.
    /// </summary>
    public bool TryCreateNetwork(ContainerNetwork network, long listVersion)
    {
        var t = new TxnRequest();
        t.Compare.Add(Absent(NetworkKey(network.Name)));
        t.Compare.Add(new Compare
        {
            Key = EtcdConnection.Key(MetaNetworks), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = listVersion,
        });
        t.Success.Add(PutOp(NetworkKey(network.Name), ToJson(network)));
        if (VniOf(network) is int vni)
        {
            t.Compare.Add(Absent(VniKey(vni)));
            t.Success.Add(PutOp(VniKey(vni), ByteString.CopyFromUtf8(network.Name)));
        }
        t.Success.Add(PutOp(MetaNetworks, ByteString.CopyFromUtf8((listVersion + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return Txn("create network " + network.Name, t).Succeeded;
    }

    /// <summary>The network holding a VNI, or null.</summary>
    public string? VniHolder(int vni)
    {
        var r = Get("read VNI " + vni, VniKey(vni));
        return r.Kvs.Count == 0 ? null : r.Kvs[0].Value.ToStringUtf8();
    }

    public void DeleteNetwork(string name)
    {
        var def = GetDefinition(name);
        var t = new TxnRequest();
        t.Success.Add(DeleteOp(NetworkKey(name)));
        t.Success.Add(DeleteOp(EndpointPrefix(name), prefix: true));
        t.Success.Add(DeleteOp(LeasePrefix(name), prefix: true));
        t.Success.Add(DeleteOp(Prefix + "lastalloc/" + name + "/", prefix: true));
        // The VNI key was written with the definition in one txn, so it names this network.
        if (def != null && VniOf(def) is int vni) t.Success.Add(DeleteOp(VniKey(vni)));
        t.Success.Add(PutOp(MetaNetworks, ByteString.CopyFromUtf8(DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Txn("remove network " + name, t);
    }

    // ---- endpoints and leases -----------------------------------------------------------------------

    public IReadOnlyList<ContainerEndpoint> ListEndpoints(string network)
    {
        var r = List("list endpoints of " + network, EndpointPrefix(network));
        var list = new List<ContainerEndpoint>();
        foreach (var kv in r.Kvs)
            if (FromJson<ContainerEndpoint>(kv.Value) is { } e) list.Add(e);
        list.Sort((a, b) => a.Created.CompareTo(b.Created));
        return list;
    }

    public ContainerEndpoint? GetEndpoint(string network, string endpointId)
    {
        var r = Get("read endpoint " + endpointId, EndpointPrefix(network) + endpointId);
        return r.Kvs.Count == 0 ? null : FromJson<ContainerEndpoint>(r.Kvs[0].Value);
    }

    public void SaveEndpoint(ContainerEndpoint endpoint)
    {
        endpoint.Host ??= Settings.HostId;
        Put("save endpoint " + endpoint.Id, EndpointPrefix(endpoint.Network) + endpoint.Id, ToJson(endpoint));
    }

    public void DeleteEndpoint(string network, string endpointId) =>
        Delete("delete endpoint " + endpointId, EndpointPrefix(network) + endpointId);

    public bool TryClaimAddress(string network, IPAddress address, string endpointId)
    {
        var t = new TxnRequest();
        t.Compare.Add(Absent(LeaseKey(network, address)));
        t.Success.Add(PutOp(LeaseKey(network, address), ByteString.CopyFromUtf8(endpointId)));
        return Txn("claim " + address, t).Succeeded;
    }

    /// <summary>
    /// Transaction 1 of a Connect: every lease absent and the network still there → the leases, the
    /// Pending endpoint (with this host's id) and the round-robin positions, all at once. On a lost
    /// race, the same round trip reads the leases back, so <paramref name="conflict"/> names the
    /// address someone else took.
    /// </summary>
    public bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict)
    {
        pending.Host ??= Settings.HostId;
        var t = new TxnRequest();
        t.Compare.Add(new Compare
        {
            Key = EtcdConnection.Key(NetworkKey(pending.Network)), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Greater, CreateRevision = 0,
        });
        foreach (var a in addresses)
        {
            t.Compare.Add(Absent(LeaseKey(pending.Network, a)));
            t.Success.Add(PutOp(LeaseKey(pending.Network, a), ByteString.CopyFromUtf8(pending.Id)));
            t.Failure.Add(GetOp(LeaseKey(pending.Network, a)));
        }
        t.Failure.Add(GetOp(NetworkKey(pending.Network)));
        t.Success.Add(PutOp(EndpointPrefix(pending.Network) + pending.Id, ToJson(pending)));
        foreach (var a in dynamic)
            t.Success.Add(PutOp(LastKey(pending.Network, a.AddressFamily), ByteString.CopyFromUtf8(a.ToString())));
        var r = ReserveThroughElection(pending, t);
        conflict = null;
        if (r == null || r.Succeeded) return true;
        Interlocked.Increment(ref _conflicts);
        if (r.Responses[^1].ResponseRange.Kvs.Count == 0)
            throw Messages.Error("NetworkNotFound", VNetErrorCategory.ObjectNotFound, pending.Network, pending.Network);
        for (int i = 0; i < addresses.Count; i++)
            if (r.Responses[i].ResponseRange.Kvs.Count > 0) { conflict = addresses[i]; break; }
        return false;
    }

    /// <summary>
    /// The reservation's transaction, carried through a leader election: a member killed while it
    /// led makes the next write fail with "leader changed" or "no leader" for an election timeout,
    /// though a quorum is still there. Such a failure is ambiguous (the transaction may have been
    /// committed), so before trying again the endpoint's record is read: it is written by the same
    /// transaction, so its presence means the claim went through (null is returned: success).
    /// Trying again is safe otherwise, since the transaction only succeeds on absent leases. Without
    /// quorum the election never ends and the error is raised after two call deadlines.
    /// </summary>
    private TxnResponse? ReserveThroughElection(ContainerEndpoint pending, TxnRequest t)
    {
        // Two deadlines: the first attempt may spend most of one waiting for the dead leader.
        var until = DateTime.UtcNow + 2 * _c.Timeout;
        for (int wait = 100; ; wait = Math.Min(wait * 2, 400))
        {
            try { return Txn("reserve addresses in " + pending.Network, t); }
            // "leader changed", "request timed out" (StoreNoQuorum), a slow commit (StoreTimeout), or the dead member's connection
            // ending under the request (StoreUnavailable): all may or may not have committed.
            catch (VNetException e) when (e.ErrorId is "StoreNoQuorum" or "StoreUnavailable" or "StoreTimeout" && DateTime.UtcNow + TimeSpan.FromMilliseconds(wait) < until)
            {
                Thread.Sleep(wait);
                try
                {
                    if (Get("read endpoint " + pending.Id, EndpointPrefix(pending.Network) + pending.Id).Kvs.Count > 0) return null;
                }
                catch (VNetException) when (DateTime.UtcNow < until) { } // still electing: try the write again
            }
        }
    }

    public string? AddressHolder(string network, IPAddress address)
    {
        var r = Get("read lease " + address, LeaseKey(network, address));
        return r.Kvs.Count == 0 ? null : r.Kvs[0].Value.ToStringUtf8();
    }

    public void ReleaseAddress(string network, IPAddress address) => Delete("release " + address, LeaseKey(network, address));

    public IReadOnlyDictionary<IPAddress, string> Leases(string network)
    {
        var r = List("read leases of " + network, LeasePrefix(network));
        var result = new Dictionary<IPAddress, string>();
        foreach (var kv in r.Kvs)
            if (IPAddress.TryParse(kv.Key.ToStringUtf8()[LeasePrefix(network).Length..], out var a)) result[a] = kv.Value.ToStringUtf8();
        return result;
    }

    public IPAddress? LastAllocated(string network, AddressFamily family)
    {
        var r = Get("read last address of " + network, LastKey(network, family));
        return r.Kvs.Count > 0 && IPAddress.TryParse(r.Kvs[0].Value.ToStringUtf8(), out var a) ? a : null;
    }

    public void SetLastAllocated(string network, IPAddress address) =>
        Put("save last address of " + network, LastKey(network, address.AddressFamily), ByteString.CopyFromUtf8(address.ToString()));

    /// <summary>The store's current revision: changes with every write under any key (the agent caches per revision).</summary>
    public long Version() =>
        _c.Call("read the store's revision", (m, d) => _c.Kv.Range(new RangeRequest { Key = EtcdConnection.Key(MetaNetworks), CountOnly = true }, m, d)).Header.Revision;

    // ---- what the agent follows -----------------------------------------------------------------------

    public ClusterSnapshot Snapshot()
    {
        var r = List("read the cluster state", Prefix);
        var hosts = new List<HostRecord>();
        var nets = new List<ContainerNetwork>();
        var eps = new List<ContainerEndpoint>();
        foreach (var kv in r.Kvs)
        {
            string key = kv.Key.ToStringUtf8()[Prefix.Length..];
            if (key.StartsWith("hosts/", StringComparison.Ordinal)) { if (FromJson<HostRecord>(kv.Value) is { } h) hosts.Add(h); }
            else if (key.StartsWith("networks/", StringComparison.Ordinal)) { if (FromJson<ContainerNetwork>(kv.Value) is { } n) nets.Add(n); }
            else if (key.StartsWith("endpoints/", StringComparison.Ordinal)) { if (FromJson<ContainerEndpoint>(kv.Value) is { } e) eps.Add(e); }
        }
        foreach (var n in nets) n.EndpointCount = eps.Count(e => e.Network == n.Name);
        return new ClusterSnapshot { Revision = r.Header.Revision, Hosts = hosts, Networks = nets, Endpoints = eps };
    }

    public IDisposable Watch(long afterRevision, Action<long> onChange, Action<Exception> onBroken) =>
        new EtcdWatch(_c, Prefix, afterRevision, onChange, onBroken);

    public IHostRegistration RegisterHost(HostRecord host, TimeSpan ttl)
    {
        long ttlSeconds = Math.Max(2, (long)Math.Ceiling(ttl.TotalSeconds));
        var g = _c.Call("grant a lease for host " + host.Name, (m, d) => _c.Leases.LeaseGrant(new LeaseGrantRequest { TTL = ttlSeconds }, m, d));
        try
        {
            Put("register host " + host.Name, HostKey(host.Id), ToJson(host), g.ID);
        }
        catch
        {
            try { _c.Call("revoke lease", (m, d) => _c.Leases.LeaseRevoke(new LeaseRevokeRequest { ID = g.ID }, m, d)); } catch (VNetException) { }
            throw;
        }
        return new EtcdHostRegistration(_c, g.ID, TimeSpan.FromSeconds(ttlSeconds));
    }

    public void Dispose() => _c.Dispose();
}
