using VNet.Core.Addresses;
using VNet.Core.Links;
using VNet.Core.Namespaces;
using VNet.Core.Native;
using VNet.Core.Neighbours;
using VNet.Core.Netlink;
using VNet.Core.Routes;
using VNet.Core.Sysctl;

namespace VNet.Core;

/// <summary>
/// The entry point of the core and the scope of one batch of operations (one cmdlet invocation,
/// one benchmark run). It resolves namespace names to open handles and keeps one netlink socket per
/// namespace, opened inside that namespace, for the namespaces it used last (at most
/// <see cref="MaxOpenNamespaces"/>), so a call over 5,000 namespaces holds a bounded number of file
/// descriptors and socket buffers rather than one set per namespace. Not thread-safe.
/// </summary>
public sealed class NetContext : IDisposable
{
    /// <summary>
    /// How many namespaces keep their handle and sockets open at once. One operation touches at
    /// most three (a veth's two ends and the caller's), so anything above that only saves reopening;
    /// 64 keeps a bulk build in one namespace and its containers fast at under 200 descriptors.
    /// </summary>
    public const int MaxOpenNamespaces = 64;

    private readonly Dictionary<string, NamespaceHandle> _handles = new(StringComparer.Ordinal);
    /// <summary>Names in <see cref="_handles"/>, most recently used first.</summary>
    private readonly LinkedList<string> _recent = new();
    private readonly Dictionary<string, LinkedListNode<string>> _recentNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, NetlinkSocket> _sockets = new();
    private readonly Dictionary<ulong, IntPtr> _nft = new();
    private readonly Dictionary<ulong, NetlinkSocket> _netfilter = new();
    private NamespaceHandle? _current;
    private readonly string? _home;

    public NetContext() : this(NamespaceService.DefaultNetnsDir) { }

    /// <param name="netnsDir">The folder of named namespaces (default /run/netns).</param>
    /// <param name="homeNamespace">
    /// The namespace that "no namespace" means (a path); by default the caller's own. The lab uses
    /// both to work "on" an emulated host from outside it.
    /// </param>
    public NetContext(string netnsDir, string? homeNamespace = null)
    {
        _home = homeNamespace;
        Namespaces = new NamespaceService(this, netnsDir);
        Links = new LinkService(this);
        Addresses = new AddressService(this);
        Routes = new RouteService(this);
        Forwarding = new ForwardingService(this);
        Bridges = new BridgeService(this);
        Veths = new VethService(this);
        Fdb = new FdbService(this);
        Neighbours = new NeighbourService(this);
        Vxlans = new VxlanService(this);
        Macvlans = new MacvlanService(this);
        Vlans = new VlanService(this);
        Nat = new Filter.NatService(this);
        Ruleset = new Filter.RulesetService(this);
        Conntrack = new Filter.ConntrackService(this);
        Trace = new Filter.TraceService(this);
        BridgeOperations = new Orchestration.BridgeOperations(this);
        NamespaceOperations = new Orchestration.NamespaceOperations(this);
    }

    /// <summary>
    /// Where this context takes namespace handles and route sockets from and gives them back to
    /// when it is disposed (the cmdlets' <see cref="NamespaceCache.Shared"/>: one pwsh session's calls
    /// share the opening work); null, the default, opens and closes everything itself.
    /// </summary>
    public NamespaceCache? Cache { get; init; }

    public NamespaceService Namespaces { get; }
    public LinkService Links { get; }
    public AddressService Addresses { get; }
    public RouteService Routes { get; }
    public ForwardingService Forwarding { get; }
    public BridgeService Bridges { get; }
    public VethService Veths { get; }
    public FdbService Fdb { get; }
    public NeighbourService Neighbours { get; }
    public VxlanService Vxlans { get; }
    public MacvlanService Macvlans { get; }
    public VlanService Vlans { get; }
    public Filter.NatService Nat { get; }
    public Filter.RulesetService Ruleset { get; }
    public Filter.ConntrackService Conntrack { get; }
    public Filter.TraceService Trace { get; }
    /// <summary>A bridge's creation and removal with their firewall follow-ups (Links and Filter together).</summary>
    public Orchestration.BridgeOperations BridgeOperations { get; }
    /// <summary>A namespace's removal with its interfaces (Namespaces and Links together).</summary>
    public Orchestration.NamespaceOperations NamespaceOperations { get; }

    /// <summary>
    /// Opens (once per context) the namespace a user named: null or "" is the caller's own, a path
    /// starting with '/' is opened as it is, anything else is a name under /run/netns.
    /// </summary>
    public NamespaceHandle Resolve(string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            if (_home == null) return _current ??= Taken(NamespaceHandle.CurrentPath, null) ?? NamespaceHandle.OpenCurrent();
            ns = _home;
        }
        if (_handles.TryGetValue(ns, out var h))
        {
            Touch(ns);
            return h;
        }
        h = Taken(Namespaces.PathOf(ns), ns) ?? Namespaces.Open(ns);
        Keep(ns, h);
        return h;
    }

    /// <summary>A handle (and its route socket) kept by <see cref="Cache"/> for this path, still naming the same namespace; null if none.</summary>
    private NamespaceHandle? Taken(string? path, string? display)
    {
        if (Cache == null || path == null || !Cache.TryTake(path, display, out var h, out var s)) return null;
        if (s != null && !_sockets.TryAdd(h.Inode, s)) s.Dispose();
        return h;
    }

    /// <summary>Caches a handle as the most recently used, closing the least recently used beyond the bound.</summary>
    private void Keep(string ns, NamespaceHandle h)
    {
        _handles[ns] = h;
        Touch(ns);
        while (_recent.Count > MaxOpenNamespaces)
        {
            // The last one is never the one just kept, which callers are about to use.
            Forget(_recent.Last!.Value);
        }
    }

    private void Touch(string ns)
    {
        if (_recentNodes.TryGetValue(ns, out var node))
        {
            if (node != _recent.First) { _recent.Remove(node); _recent.AddFirst(node); }
        }
        else
        {
            _recentNodes[ns] = _recent.AddFirst(ns);
        }
    }

    /// <summary>How many namespaces this context holds open now (for tests of the bound).</summary>
    internal int OpenNamespaceCount => _handles.Count;

    /// <summary>
    /// A namespace is losing its name: what any context left open in it for a moment (deferred
    /// firewall closes, see Filter/DeferredClose.cs) is closed now, so it does not keep it alive.
    /// Here, in the composition root, so that Namespaces need not know Filter.
    /// </summary>
    internal void ReleaseNamespace(ulong inode)
    {
        Filter.DeferredClose.Flush(inode);
        NamespaceCache.ReleaseEverywhere(inode);
    }

    /// <summary>Forgets a handle (after the namespace was removed) so a later call does not reuse it.</summary>
    internal void Forget(string ns)
    {
        if (_recentNodes.Remove(ns, out var node)) _recent.Remove(node);
        if (_handles.Remove(ns, out var h))
        {
            if (_sockets.Remove(h.Inode, out var s)) s.Dispose();
            // A namespace being removed must not be kept alive by VNet's firewall socket in it.
            if (_nft.Remove(h.Inode, out var c)) Filter.Nftables.Free(c);
            if (_netfilter.Remove(h.Inode, out var nf)) nf.Dispose();
            h.Dispose();
        }
    }

    internal NetlinkSocket Socket(string? ns) => Socket(Resolve(ns));

    internal NetlinkSocket Socket(NamespaceHandle h)
    {
        if (_sockets.TryGetValue(h.Inode, out var s)) return s;
        s = OpenInside(h, Sys.NETLINK_ROUTE);
        _sockets[h.Inode] = s;
        return s;
    }

    /// <summary>A NETLINK_NETFILTER socket in a namespace, opened inside it once per context.</summary>
    internal NetlinkSocket NetfilterSocket(string? ns)
    {
        var h = Resolve(ns);
        if (_netfilter.TryGetValue(h.Inode, out var s)) return s;
        s = OpenInside(h, Sys.NETLINK_NETFILTER);
        _netfilter[h.Inode] = s;
        return s;
    }

    /// <summary>
    /// Test seam: when set, this context's netlink sockets run over the connections it makes (given
    /// the protocol) instead of the kernel's; see Netlink/INetlinkConnection.cs.
    /// </summary>
    internal Func<int, INetlinkConnection>? Connections { get; init; }

    /// <summary>
    /// Test seam: when set, each kernel socket this context opens (in its namespace) is handed over
    /// through this wrapper, so a test can change what the real kernel's socket does (refuse a
    /// large send as a process without CAP_NET_ADMIN would) while the rest stays real.
    /// </summary>
    internal Func<INetlinkConnection, INetlinkConnection>? KernelConnections { get; init; }

    /// <summary>A netlink socket bound inside a namespace (through the worker unless the caller is already there).</summary>
    private NetlinkSocket OpenInside(NamespaceHandle h, int protocol) =>
        Connections != null ? new NetlinkSocket(Connections(protocol))
        : KernelConnections is { } wrap ? NamespaceThread.RunIn(h, () => new NetlinkSocket(wrap(new KernelConnection(protocol, 0)), (uint)Environment.TickCount))
        : NamespaceThread.RunIn(h, () => new NetlinkSocket(protocol));

    /// <summary>
    /// Adopts the handle and socket opened inside a namespace while creating it, saving an open by
    /// path and a trip to the worker thread.
    /// </summary>
    internal NamespaceHandle Adopt(string name, NamespaceHandle h, NetlinkSocket s)
    {
        Forget(name);
        if (_sockets.Remove(h.Inode, out var old)) old.Dispose();
        _sockets[h.Inode] = s;
        Keep(name, h);
        return h;
    }

    /// <summary>The libnftables context of a namespace, made once per context (see Filter/Nftables.cs).</summary>
    internal IntPtr NftContext(ulong inode, Func<IntPtr> create)
    {
        if (_nft.TryGetValue(inode, out var c)) return c;
        c = create();
        _nft[inode] = c;
        return c;
    }

    public void Dispose()
    {
        // Closed a little later, off the caller's path (see Filter/DeferredClose.cs).
        foreach (var (inode, c) in _nft) Filter.DeferredClose.Schedule(inode, () => Filter.Nftables.Free(c));
        foreach (var (inode, nf) in _netfilter) Filter.DeferredClose.Schedule(inode, nf.Dispose);
        _nft.Clear();
        _netfilter.Clear();
        if (Cache != null)
        {
            // Handed on with the handle it was made for; a namespace named twice (by name and by
            // path) keeps one socket, given back with the first handle.
            foreach (var h in _handles.Values.Append(_current))
            {
                if (h == null) continue;
                _sockets.Remove(h.Inode, out var s);
                Cache.Return(h, s);
            }
        }
        else
        {
            foreach (var h in _handles.Values) h.Dispose();
            _current?.Dispose();
        }
        foreach (var s in _sockets.Values) s.Dispose();
        _sockets.Clear();
        _handles.Clear();
        _recent.Clear();
        _recentNodes.Clear();
        _current = null;
    }
}
