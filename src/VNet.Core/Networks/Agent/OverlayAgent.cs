using System.Diagnostics;
using VNet.Core.Networks.Cluster;
using VNet.Core.Networks.Drivers;

namespace VNet.Core.Networks.Agent;

/// <summary>What Get-VNetAgent shows of the overlay work.</summary>
public sealed class AgentOverlay
{
    public string HostId { get; set; } = "";
    public string? Underlay { get; set; }
    public string? VtepMac { get; set; }
    /// <summary>True while this host's record is in the store under a live lease.</summary>
    public bool Registered { get; set; }
    /// <summary>True while a watch follows the store (false: the store is unreachable, retrying).</summary>
    public bool Watching { get; set; }
    public long LastRevision { get; set; }
    public DateTime? LastSync { get; set; }
    /// <summary>How long the last reconcile took, snapshot read included.</summary>
    public double LastSyncMilliseconds { get; set; }
    public long Syncs { get; set; }
    /// <summary>Local vxlan devices programmed, and the FDB + neighbour entries they hold of VNet's.</summary>
    public int Devices { get; set; }
    public int Entries { get; set; }
    public string? LastError { get; set; }
    public override string ToString() => Registered ? $"registered, revision {LastRevision}, {Entries} entries" : $"not registered: {LastError}";
}

/// <summary>
/// The agent's overlay loop (docs/overlay.md): registers this host under a lease with a short TTL,
/// reads a snapshot, reconciles the local vxlan devices (<see cref="OverlayReconciler"/>), then
/// follows a watch from the snapshot's revision: every change wakes the loop, which waits a few
/// milliseconds for the rest of a burst (a Connect is two writes), reads a fresh snapshot and
/// reconciles. Reading the whole snapshot rather than applying events is what keeps it simple and
/// right after any gap. When the watch breaks (compaction, the store down) the loop retries with
/// backoff (200 ms doubling to 5 s), registers again if the lease died, and resyncs from a fresh
/// snapshot. Nothing runs while idle but the watch. A failed read never touches the kernel, so
/// traffic between existing endpoints keeps flowing while the store is away.
/// </summary>
public sealed class OverlayAgent : IDisposable
{
    /// <summary>Seconds of the host record's lease (default 10): how long other hosts keep a dead host's entries.</summary>
    public const string TtlEnv = "VNET_HOST_TTL_SECONDS";
    /// <summary>
    /// How the agent opens the cluster store: etcd (<see cref="EtcdNetworkStore"/>); tests put an
    /// in-memory cluster here. Null: no implementation, the overlay loop does not start.
    /// </summary>
    public static Func<StoreSettings, IClusterStore>? StoreFactory { get; set; } = s => new EtcdNetworkStore(s);

    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(5);
    /// <summary>A vx- device whose network is missing from snapshots this long apart is removed (not at once: the snapshot may predate the New).</summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(3);

    private readonly NetContext _ctx;
    private readonly StoreSettings _settings;
    private readonly Func<StoreSettings, IClusterStore> _open;
    private readonly Action<string> _log;
    private readonly Action<ClusterSnapshot>? _onSnapshot;
    private readonly object _gate = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Dictionary<string, DateTime> _orphanSince = new(StringComparer.Ordinal);
    private readonly AgentOverlay _status;
    private readonly TimeSpan _ttl;
    private volatile bool _dirty, _broken, _stop;
    private volatile ClusterSnapshot? _latest;
    private IClusterStore? _store;
    private IHostRegistration? _registration;
    private IDisposable? _watch;
    private Thread? _thread;
    private bool _devicesAtStart;

    public OverlayAgent(NetContext ctx, StoreSettings settings, Func<StoreSettings, IClusterStore> open, Action<string> log, Action<ClusterSnapshot>? onSnapshot = null)
    {
        _ctx = ctx;
        _settings = settings;
        _open = open;
        _log = log;
        _onSnapshot = onSnapshot;
        _status = new AgentOverlay { HostId = settings.HostId, VtepMac = OverlayDriver.VtepMac(settings.HostId) };
        _ttl = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable(TtlEnv), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int t) && t > 0 ? t : 10);
    }

    /// <summary>The newest snapshot read (null before the first).</summary>
    public ClusterSnapshot? Latest => _latest;

    public AgentOverlay Status()
    {
        lock (_status)
            return new AgentOverlay
            {
                HostId = _status.HostId, Underlay = _status.Underlay, VtepMac = _status.VtepMac,
                Registered = _registration?.Alive == true, Watching = _watch != null && !_broken,
                LastRevision = _status.LastRevision, LastSync = _status.LastSync, LastSyncMilliseconds = _status.LastSyncMilliseconds,
                Syncs = _status.Syncs, Devices = _status.Devices, Entries = _status.Entries, LastError = _status.LastError,
            };
    }

    /// <summary>
    /// Whether this host has overlay members (the agent must not exit while it has): Active
    /// endpoints of this host in the newest snapshot; before any snapshot (the store unreachable
    /// since the start), any local vx- device.
    /// </summary>
    public bool HasLocalMembers
    {
        get
        {
            var s = _latest;
            return s != null ? s.Endpoints.Any(e => e.Host == _settings.HostId && e.State == EndpointState.Active) : _devicesAtStart;
        }
    }

    public void Start()
    {
        // Read before the loop owns the context: the idle check must never wait on a store call.
        _devicesAtStart = OverlayReconciler.LocalDevices(_ctx).Count > 0;
        _thread = new Thread(Loop) { IsBackground = true, Name = "vnet-overlay" };
        _thread.Start();
    }

    /// <summary>
    /// The control socket's overlay-sync (Connect and Disconnect send it): a fresh snapshot and a
    /// reconcile now, so the caller's new device holds its entries when Connect returns. Null when
    /// done, else why not (the loop keeps retrying on its own).
    /// </summary>
    public string? SyncNow()
    {
        // The loop may be inside a slow store call (connecting, an outage): the caller (a Connect
        // waiting on the control socket) gets an answer instead, and the loop syncs when it can.
        if (!Monitor.TryEnter(_gate, SyncWait))
        {
            _dirty = true;
            _wake.Set();
            return "the overlay loop is busy with the store: " + (Status().LastError ?? "connecting");
        }
        try
        {
            if (_store == null) return "the cluster store is not open yet: " + (Status().LastError ?? "connecting");
            Sync();
            return null;
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            Fail(e);
            _broken = true;
            _wake.Set();
            return e.Message;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(3);

    private void Loop()
    {
        var backoff = MinBackoff;
        bool connected = false;
        while (!_stop)
        {
            if (!connected)
            {
                try
                {
                    Connect();
                    connected = true;
                    backoff = MinBackoff;
                }
                catch (Exception e) when (IsStoreFailure(e))
                {
                    Fail(e);
                    _wake.WaitOne(backoff);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    continue;
                }
            }
            // Idle: blocked here until the watch says something (a one-shot timeout only while a
            // removed network's devices wait out their grace).
            bool pending;
            lock (_orphanSince) pending = _orphanSince.Count > 0;
            if (!_wake.WaitOne(pending ? OrphanGrace : Timeout.InfiniteTimeSpan)) _dirty = true;
            if (_stop) break;
            if (_broken)
            {
                _broken = false;
                connected = false;
                continue;
            }
            if (!_dirty) continue;
            Thread.Sleep(Debounce);
            _dirty = false;
            try
            {
                lock (_gate) Sync();
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                Fail(e);
                connected = false;
            }
        }
    }

    /// <summary>Opens the store if needed, registers the host if its lease is gone, resyncs, and watches from the snapshot's revision.</summary>
    private void Connect()
    {
        lock (_gate)
        {
            _watch?.Dispose();
            _watch = null;
            _store ??= _open(_settings);
            if (_registration is not { Alive: true })
            {
                _registration?.Dispose();
                _registration = null;
                var underlay = OverlayDriver.AdvertiseAddress(_settings).ToString();
                lock (_status) _status.Underlay = underlay;
                _registration = _store.RegisterHost(new HostRecord
                {
                    Id = _settings.HostId, Name = string.IsNullOrEmpty(_settings.HostName) ? Environment.MachineName : _settings.HostName,
                    Underlay = underlay, VtepMac = OverlayDriver.VtepMac(_settings.HostId),
                }, _ttl);
                _log($"overlay: registered host {_settings.HostId} ({underlay}) under lease {_registration.LeaseId:x}, ttl {_ttl.TotalSeconds} s");
            }
            long rev = Sync();
            _watch = _store.Watch(rev, _ => { _dirty = true; _wake.Set(); }, e =>
            {
                _log($"overlay: watch ended: {e.Message}");
                _broken = true;
                _wake.Set();
            });
        }
    }

    /// <summary>One reconcile from a fresh snapshot (under <see cref="_gate"/>); returns the snapshot's revision.</summary>
    private long Sync()
    {
        var sw = Stopwatch.StartNew();
        var snap = _store!.Snapshot();
        var desired = OverlayReconciler.Desired(snap, _settings.HostId);
        // One link dump for both: the devices to program and those whose network left the store.
        var local = OverlayReconciler.LocalDevices(_ctx);
        var result = OverlayReconciler.Apply(_ctx, desired, local);
        RemoveOrphans(OverlayReconciler.Orphans(local, desired));
        _latest = snap;
        _onSnapshot?.Invoke(snap);
        sw.Stop();
        lock (_status)
        {
            _status.LastRevision = snap.Revision;
            _status.LastSync = DateTime.UtcNow;
            _status.LastSyncMilliseconds = sw.Elapsed.TotalMilliseconds;
            _status.Syncs++;
            _status.Devices = result.Devices;
            _status.Entries = result.Entries;
            _status.LastError = result.Errors.Count > 0 ? string.Join("; ", result.Errors) : null;
        }
        if (result.Added + result.Removed > 0 || result.Errors.Count > 0)
            _log($"overlay: revision {snap.Revision}: +{result.Added} -{result.Removed} entries on {result.Devices} device(s) in {sw.Elapsed.TotalMilliseconds:F1} ms" +
                 (result.Errors.Count > 0 ? "; errors: " + string.Join("; ", result.Errors) : ""));
        return snap.Revision;
    }

    /// <summary>Devices of networks removed from the store (on another host): removed once they stayed missing for the grace time.</summary>
    private void RemoveOrphans(List<string> orphans)
    {
        var now = DateTime.UtcNow;
        lock (_orphanSince)
        {
            foreach (var k in _orphanSince.Keys.Where(k => !orphans.Contains(k)).ToList()) _orphanSince.Remove(k);
            foreach (var id10 in orphans)
            {
                if (!_orphanSince.TryGetValue(id10, out var since)) { _orphanSince[id10] = now; continue; }
                if (now - since < OrphanGrace) continue;
                try
                {
                    OverlayDriver.DeleteDevices(_ctx, id10);
                    _log($"overlay: removed {OverlayDriver.VxlanPrefix}{id10} and {OverlayDriver.BridgePrefix}{id10}: their network is no longer in the store");
                }
                catch (VNetException e) { _log($"overlay: cannot remove the devices of {id10}: {e.Message}"); }
                _orphanSince.Remove(id10);
            }
        }
    }

    private void Fail(Exception e)
    {
        lock (_status) _status.LastError = e.Message;
        _log(e is VNetException ? $"overlay: {e.Message}" : $"overlay: {e.GetType().Name}: {e.Message}");
    }

    /// <summary>
    /// What the loop retries: everything but running out of memory. The store client's failures
    /// come in many types (gRPC, sockets, timeouts, VNet's own), and a loop thread that died on
    /// one would take the whole agent, DNS included, with it; each is logged with its type.
    /// </summary>
    private static bool IsStoreFailure(Exception e) => e is not OutOfMemoryException;

    public void Dispose()
    {
        _stop = true;
        _wake.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            _watch?.Dispose();
            _watch = null;
            _registration?.Dispose();
            _registration = null;
            _store?.Dispose();
            _store = null;
        }
    }
}
