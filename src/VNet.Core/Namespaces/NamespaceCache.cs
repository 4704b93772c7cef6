using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Namespaces;

/// <summary>
/// Namespace handles and their route sockets kept between NetContexts, so that a script's cmdlet
/// calls (each its own context) do not reopen a namespace and make a socket inside it through the
/// namespace worker every time. A context takes an entry out (no two contexts ever share one, so
/// parallel runspaces need no more than this class's lock) and gives it back when it is disposed.
/// Every entry is checked against its path when it is taken and when it is given back (the
/// namespace's inode): a namespace removed or recreated under the same name is never answered by
/// the old one. Bounded (<see cref="Capacity"/> entries) and short-lived: an open handle or socket
/// keeps its namespace alive, so an entry nobody takes for <see cref="IdleMs"/> ms is closed, and
/// VNet's own removal of a namespace closes its entry at once (<see cref="ReleaseEverywhere"/>).
/// </summary>
public sealed class NamespaceCache : IDisposable
{
    /// <summary>At most this many namespaces are kept open between calls.</summary>
    public const int Capacity = 32;
    /// <summary>How long an entry nobody uses stays open (a namespace another tool deletes lingers this long at most, plus one sweep).</summary>
    public const int IdleMs = 200;

    /// <summary>Every cache not disposed, so that the removal of a namespace reaches them all.</summary>
    private static readonly List<WeakReference<NamespaceCache>> s_all = new();

    /// <summary>The one cache of the process (the cmdlets' contexts use it); after <see cref="s_all"/>, which its construction needs.</summary>
    public static NamespaceCache Shared { get; } = new();

    private readonly int _idleMs;

    public NamespaceCache() : this(IdleMs) { }

    /// <summary>With another idle time: tests that count entries keep them longer than a loaded machine takes to count.</summary>
    internal NamespaceCache(int idleMs)
    {
        _idleMs = idleMs;
        lock (s_all)
        {
            s_all.RemoveAll(w => !w.TryGetTarget(out _));
            s_all.Add(new WeakReference<NamespaceCache>(this));
        }
    }

    private sealed class Entry(NamespaceHandle handle, NetlinkSocket? socket)
    {
        public NamespaceHandle Handle { get; } = handle;
        public NetlinkSocket? Socket { get; } = socket;
        public string Path => Handle.Path;
        /// <summary>Kept per path and per name the user gave (a handle's name is what its errors say).</summary>
        public string Key { get; } = KeyOf(handle.Path, handle.Display);
        public long ReturnedAt { get; } = Environment.TickCount64;
    }

    private static string KeyOf(string path, string? display) => path + "\n" + display;

    private readonly object _gate = new();
    /// <summary>Most recently returned first.</summary>
    private readonly LinkedList<Entry> _entries = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byKey = new(StringComparer.Ordinal);
    private Timer? _sweeper;

    /// <summary>How many entries are kept now (for tests of the bound).</summary>
    internal int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>
    /// Takes the entry kept for <paramref name="path"/> (opened under the name
    /// <paramref name="display"/>), if the path still names the namespace it
    /// holds; a stale entry is closed and the caller opens the namespace afresh.
    /// </summary>
    internal bool TryTake(string path, string? display, out NamespaceHandle handle, out NetlinkSocket? socket)
    {
        Entry? e = null;
        lock (_gate)
        {
            if (_byKey.Remove(KeyOf(path, display), out var node))
            {
                _entries.Remove(node);
                e = node.Value;
            }
        }
        handle = null!;
        socket = null;
        if (e == null) return false;
        if (!StillNamed(e.Path, e.Handle))
        {
            Close(e);
            return false;
        }
        handle = e.Handle;
        socket = e.Socket;
        return true;
    }

    /// <summary>
    /// Gives back a handle (and its route socket, if the context made one). Closed instead when its
    /// path no longer names that namespace, or an entry for the path is kept already.
    /// </summary>
    internal void Return(NamespaceHandle handle, NetlinkSocket? socket)
    {
        if (socket is { Settled: false })
        {
            // Left in the middle of an answer: the handle may be kept, the socket may not.
            socket.Dispose();
            socket = null;
        }
        var e = new Entry(handle, socket);
        if (!StillNamed(e.Path, handle))
        {
            Close(e);
            return;
        }
        var closing = new List<Entry>();
        lock (_gate)
        {
            if (_byKey.ContainsKey(e.Key))
            {
                closing.Add(e);
            }
            else
            {
                _byKey[e.Key] = _entries.AddFirst(e);
                while (_entries.Count > Capacity) closing.Add(RemoveLast());
                _sweeper ??= new Timer(_ => Sweep(), null, _idleMs / 2, _idleMs / 2);
            }
        }
        foreach (var c in closing) Close(c);
    }

    /// <summary>Closes at once whatever any cache keeps in a namespace (it is being removed, so nothing may keep it alive).</summary>
    internal static void ReleaseEverywhere(ulong inode)
    {
        List<NamespaceCache> caches;
        lock (s_all) caches = s_all.Select(w => w.TryGetTarget(out var c) ? c : null).OfType<NamespaceCache>().ToList();
        foreach (var c in caches) c.CloseWhere(e => e.Handle.Inode == inode);
    }

    /// <summary>Closes everything kept (the module is being removed).</summary>
    public void Clear() => CloseWhere(_ => true);

    public void Dispose()
    {
        lock (s_all) s_all.RemoveAll(w => !w.TryGetTarget(out var c) || ReferenceEquals(c, this));
        Clear();
    }

    private void Sweep()
    {
        long now = Environment.TickCount64;
        CloseWhere(e => now - e.ReturnedAt >= _idleMs);
    }

    private void CloseWhere(Func<Entry, bool> match)
    {
        var closing = new List<Entry>();
        lock (_gate)
        {
            for (var node = _entries.First; node != null;)
            {
                var next = node.Next;
                if (match(node.Value))
                {
                    _entries.Remove(node);
                    _byKey.Remove(node.Value.Key);
                    closing.Add(node.Value);
                }
                node = next;
            }
            if (_entries.Count == 0 && _sweeper != null)
            {
                // Nothing to sweep: no timer ticks in an idle session.
                _sweeper.Dispose();
                _sweeper = null;
            }
        }
        foreach (var c in closing) Close(c);
    }

    private Entry RemoveLast()
    {
        var last = _entries.Last!;
        _entries.RemoveLast();
        _byKey.Remove(last.Value.Key);
        return last.Value;
    }

    /// <summary>Does the path still name the namespace this handle holds (same inode)?</summary>
    private static bool StillNamed(string path, NamespaceHandle h) =>
        Sys.StatPath(path) is { } st && st.Ino == h.Inode && st.Dev == NamespaceService.NsfsDevice;

    private static void Close(Entry e)
    {
        e.Socket?.Dispose();
        e.Handle.Dispose();
    }
}
