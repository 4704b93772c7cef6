using System.Collections.Concurrent;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// The agent's resolver: one <see cref="NamespaceListener"/> per member namespace, answering from a
/// <see cref="NameTable"/> that is re-read whenever the store's version changes (checked per query,
/// a stat), and forwarding the rest upstream. <see cref="Reconcile"/> makes the set of listeners
/// match the store's members: new members get one, namespaces that left every network (or were
/// deleted) lose theirs, so VNet never keeps a dead namespace alive.
/// </summary>
public sealed class DnsResolver : IDisposable
{
    private readonly INetworkStore _store;
    private readonly UpstreamForwarder _upstream;
    private readonly object _reload = new();
    private readonly ConcurrentDictionary<ulong, NamespaceListener> _listeners = new();
    private readonly Dictionary<ulong, string> _failures = new();
    private volatile NameTable _table = NameTable.Empty;
    // The overlay agent's latest snapshot and this host's id (null: no cluster store followed).
    private volatile Cluster.ClusterSnapshot? _overlay;
    private string? _hostId;
    private long _answered, _forwarded;

    public DnsResolver(INetworkStore store, UpstreamForwarder upstream)
    {
        _store = store;
        _upstream = upstream;
    }

    public long Answered => Interlocked.Read(ref _answered);
    public long Forwarded => Interlocked.Read(ref _forwarded);
    public IReadOnlyCollection<NamespaceListener> Listeners => _listeners.Values.ToList();
    public UpstreamForwarder Upstream => _upstream;

    /// <summary>Why a member namespace has no listener (the last attempt's error), by inode.</summary>
    public IReadOnlyDictionary<ulong, string> Failures { get { lock (_failures) return new Dictionary<ulong, string>(_failures); } }

    /// <summary>The current table, re-read when the store changed since it was read.</summary>
    public NameTable Table
    {
        get
        {
            var t = _table;
            if (Current(t)) return t;
            lock (_reload)
            {
                if (!Current(_table)) _table = LoadTolerant();
                return _table;
            }
        }
    }

    private bool Current(NameTable t) =>
        !ReferenceEquals(t, NameTable.Empty) && t.Version == _store.Version() && ReferenceEquals(t.Overlay, _overlay);

    /// <summary>
    /// The overlay agent's newest snapshot: names of overlay networks (every host's endpoints) are
    /// answered from it from the next query on.
    /// </summary>
    public void SetOverlay(Cluster.ClusterSnapshot snapshot, string hostId)
    {
        _hostId = hostId;
        _overlay = snapshot;
    }

    /// <summary>
    /// A network removed while it is read makes a folder vanish under the enumeration; read again
    /// (the store is consistent between changes), and keep the last table if it keeps changing.
    /// </summary>
    private NameTable LoadTolerant()
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return NameTable.Load(_store, _overlay, _hostId); }
            catch (IOException) when (attempt < 5) { Thread.Sleep(1); }
            catch (IOException) { return _table; }
        }
    }

    /// <summary>Opens listeners for members without one and closes those of namespaces that are no member any more.</summary>
    public void Reconcile()
    {
        var table = Table;
        var wanted = new Dictionary<ulong, ContainerEndpoint>();
        foreach (var e in table.Members)
            if (e.NamespaceInode != 0 && !string.IsNullOrEmpty(e.NamespacePath) && StillThere(e.NamespacePath!, e.NamespaceInode))
                wanted.TryAdd(e.NamespaceInode, e);

        foreach (var (inode, l) in _listeners)
        {
            if (wanted.ContainsKey(inode) && StillThere(l.Path, inode)) continue;
            if (_listeners.TryRemove(inode, out var gone)) gone.Dispose();
        }
        foreach (var (inode, e) in wanted)
        {
            if (_listeners.ContainsKey(inode)) continue;
            try
            {
                _listeners[inode] = NamespaceListener.Open(e.NamespacePath!, inode, Handle);
                lock (_failures) _failures.Remove(inode);
            }
            catch (Exception ex) when (ex is IOException or VNetException or System.Net.Sockets.SocketException or Native.SystemCallException)
            {
                lock (_failures) _failures[inode] = ex.Message;
            }
        }
        lock (_failures)
            foreach (var inode in _failures.Keys.Where(i => !wanted.ContainsKey(i)).ToList()) _failures.Remove(inode);
    }

    /// <summary>
    /// Serves one namespace now, without re-reading the store (Connect's path: constant time however
    /// many members there are). The caller has just saved the namespace's endpoint as Active; the
    /// next full <see cref="Reconcile"/> closes the listener again should that no longer hold.
    /// Returns null when served, else why not.
    /// </summary>
    public string? Serve(ulong inode, string path)
    {
        if (_listeners.ContainsKey(inode)) return null;
        if (!StillThere(path, inode)) return $"{path} is not the namespace with inode {inode} (deleted, or reused by another)";
        try
        {
            _listeners[inode] = NamespaceListener.Open(path, inode, Handle);
            lock (_failures) _failures.Remove(inode);
            return null;
        }
        catch (Exception ex) when (ex is IOException or VNetException or System.Net.Sockets.SocketException or Native.SystemCallException)
        {
            lock (_failures) _failures[inode] = ex.Message;
            return ex.Message;
        }
    }

    /// <summary>Stops serving a namespace that left its last network (Disconnect's path, constant time).</summary>
    public void Release(ulong inode)
    {
        if (_listeners.TryRemove(inode, out var l)) l.Dispose();
    }

    /// <summary>Closes the listeners of namespaces that were deleted (a stat each; no store read).</summary>
    public void DropGone()
    {
        foreach (var (inode, l) in _listeners)
            if (!StillThere(l.Path, inode) && _listeners.TryRemove(inode, out var gone)) gone.Dispose();
    }

    /// <summary>Is the namespace that path opens still the one with this inode (not deleted, not a new one of the same name)?</summary>
    private static bool StillThere(string path, ulong inode)
    {
        var st = Native.Sys.StatPath(path);
        return st.HasValue && st.Value.Ino == inode;
    }

    private Task<byte[]?> Handle(NamespaceListener from, byte[] query, bool tcp)
    {
        var answer = DnsResponder.Answer(Table, from.Inode, query);
        if (answer != null)
        {
            Interlocked.Increment(ref _answered);
            return Task.FromResult<byte[]?>(answer);
        }
        Interlocked.Increment(ref _forwarded);
        return ForwardAsync(query, tcp);
    }

    private async Task<byte[]?> ForwardAsync(byte[] query, bool tcp)
    {
        var answer = tcp ? await _upstream.ForwardTcpAsync(query, CancellationToken.None).ConfigureAwait(false)
                         : await _upstream.ForwardUdpAsync(query, CancellationToken.None).ConfigureAwait(false);
        return answer ?? DnsResponder.ServerFailure(query);
    }

    public void Dispose()
    {
        foreach (var l in _listeners.Values) l.Dispose();
        _listeners.Clear();
    }
}
