namespace VNet.Core.Filter;

/// <summary>
/// Closes netfilter sockets and libnftables contexts a little after their NetContext is done.
/// Closing a NETLINK_NETFILTER socket right after a transaction that deleted something blocks in
/// the kernel until that transaction's objects are freed, after an RCU grace period (10-20 ms
/// measured; the same close a moment later takes microseconds), so the close happens off the
/// caller's path. An open socket keeps its namespace alive, though: removing a namespace closes
/// what is pending for it at once, so its interfaces go when the user asked.
/// </summary>
internal static class DeferredClose
{
    private const int DelayMs = 250;
    private static readonly object Gate = new();
    private static readonly Dictionary<ulong, List<Action>> Pending = new();

    /// <summary>Closes <paramref name="close"/> in <see cref="DelayMs"/> ms, unless the namespace goes first.</summary>
    public static void Schedule(ulong namespaceInode, Action close)
    {
        lock (Gate)
        {
            if (!Pending.TryGetValue(namespaceInode, out var list)) Pending[namespaceInode] = list = new List<Action>();
            list.Add(close);
        }
        Task.Delay(DelayMs).ContinueWith(_ => Run(namespaceInode, close), TaskScheduler.Default);
    }

    /// <summary>Closes now whatever is pending for a namespace (it is being removed).</summary>
    public static void Flush(ulong namespaceInode)
    {
        List<Action>? list;
        lock (Gate)
        {
            if (!Pending.Remove(namespaceInode, out list)) return;
        }
        foreach (var close in list) close();
    }

    private static void Run(ulong namespaceInode, Action close)
    {
        lock (Gate)
        {
            // Flushed already (the namespace was removed meanwhile): nothing left to do.
            if (!Pending.TryGetValue(namespaceInode, out var list) || !list.Remove(close)) return;
            if (list.Count == 0) Pending.Remove(namespaceInode);
        }
        close();
    }
}
