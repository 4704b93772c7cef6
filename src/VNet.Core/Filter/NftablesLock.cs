using VNet.Core.Native;

namespace VNet.Core.Filter;

/// <summary>
/// Serialises every change to VNet's nftables (and iptables accept) state in one network
/// namespace, across processes and runspaces: an flock on {run root}/locks/nftables-INODE.lock,
/// keyed by the namespace's inode so every name and path of one namespace shares it. The kernel
/// drops it when its holder dies (kill -9 included). Decisions (does the table exist, which ports
/// are taken, is anything left) are made and committed while it is held, so two callers never both
/// make the base rules, and a remove that finds nothing left deletes the table before anyone can
/// add to it. Re-entrant per holder: the service's public calls use each other.
/// </summary>
internal sealed class NftablesLock
{
    // Generous: a change holds it for milliseconds, but a busy host with many callers queues them (the
    // lock is not fair: every waiter wakes at each release and one wins), and a wait is better than a failed change.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly Dictionary<ulong, (FileLock Lock, int Depth)> _held = new();

    /// <summary>Runs <paramref name="work"/> holding the lock of the namespace.</summary>
    public T Hold<T>(NetContext ctx, string? ns, Func<T> work)
    {
        ulong inode = ctx.Resolve(ns).Inode;
        if (_held.TryGetValue(inode, out var held))
        {
            _held[inode] = (held.Lock, held.Depth + 1);
            try { return work(); }
            finally { _held[inode] = (held.Lock, _held[inode].Depth - 1); }
        }
        string path = Path.Combine(Networks.StateRoots.Run, "locks", $"nftables-{inode}.lock");
        FileLock l;
        try { l = FileLock.Acquire(path, Timeout, $"VNet's firewall in {(string.IsNullOrEmpty(ns) ? "the current namespace" : $"namespace '{ns}'")}"); }
        catch (UnauthorizedAccessException) { throw VNetException.FromErrno(Sys.EACCES, "lock VNet's firewall state", path); }
        catch (SystemCallException e) { throw VNetException.FromErrno(e.Errno, "lock VNet's firewall state", path); }
        _held[inode] = (l, 1);
        try { return work(); }
        finally
        {
            _held.Remove(inode);
            l.Dispose();
        }
    }

    public void Hold(NetContext ctx, string? ns, Action work) => Hold(ctx, ns, () => { work(); return 0; });
}
