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
/// namespace, opened inside that namespace, until it is disposed. Not thread-safe.
/// </summary>
public sealed class NetContext : IDisposable
{
    private readonly Dictionary<string, NamespaceHandle> _handles = new(StringComparer.Ordinal);
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
        Vxlans = new VxlanService(this);
        Macvlans = new MacvlanService(this);
        Vlans = new VlanService(this);
        Nat = new Filter.NatService(this);
        Ruleset = new Filter.RulesetService(this);
        Conntrack = new Filter.ConntrackService(this);
        Trace = new Filter.TraceService(this);
    }

    public NamespaceService Namespaces { get; }
    public LinkService Links { get; }
    public AddressService Addresses { get; }
    public RouteService Routes { get; }
    public ForwardingService Forwarding { get; }
    public BridgeService Bridges { get; }
    public VethService Veths { get; }
    public FdbService Fdb { get; }
    public VxlanService Vxlans { get; }
    public MacvlanService Macvlans { get; }
    public VlanService Vlans { get; }
    public Filter.NatService Nat { get; }
    public Filter.RulesetService Ruleset { get; }
    public Filter.ConntrackService Conntrack { get; }
    public Filter.TraceService Trace { get; }

    /// <summary>
    /// Opens (once per context) the namespace a user named: null or "" is the caller's own, a path
    /// starting with '/' is opened as it is, anything else is a name under /run/netns.
    /// </summary>
    public NamespaceHandle Resolve(string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            if (_home == null) return _current ??= NamespaceHandle.OpenCurrent();
            ns = _home;
        }
        if (_handles.TryGetValue(ns, out var h)) return h;
        h = Namespaces.Open(ns);
        _handles[ns] = h;
        return h;
    }

    /// <summary>Forgets a handle (after the namespace was removed) so a later call does not reuse it.</summary>
    internal void Forget(string ns)
    {
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

    /// <summary>A netlink socket bound inside a namespace (through the worker unless the caller is already there).</summary>
    private NetlinkSocket OpenInside(NamespaceHandle h, int protocol) =>
        Connections != null ? new NetlinkSocket(Connections(protocol)) :
        h.IsCallersNamespace() ? new NetlinkSocket(protocol) : NamespaceThread.Run(h.Fd, () => new NetlinkSocket(protocol));

    /// <summary>
    /// Adopts the handle and socket opened inside a namespace while creating it, saving an open by
    /// path and a trip to the worker thread.
    /// </summary>
    internal NamespaceHandle Adopt(string name, NamespaceHandle h, NetlinkSocket s)
    {
        Forget(name);
        _handles[name] = h;
        if (_sockets.Remove(h.Inode, out var old)) old.Dispose();
        _sockets[h.Inode] = s;
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
        foreach (var s in _sockets.Values) s.Dispose();
        _sockets.Clear();
        foreach (var h in _handles.Values) h.Dispose();
        _handles.Clear();
        _current?.Dispose();
        _current = null;
    }
}
