using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using VNet.Core.Native;

namespace VNet.Core.Namespaces;

/// <summary>
/// setns(2) switches only the calling thread, so the core never switches a thread it does not own.
/// Work that must run inside a namespace (opening a socket there, creating a namespace, sysctl
/// writes, starting a process) is handed to this worker thread, which enters the namespace, runs
/// the work and always returns to its home namespace in <c>finally</c>. If it ever cannot return,
/// the worker retires itself (it never runs anything again) and a fresh one is started.
/// </summary>
public static class NamespaceThread
{
    private sealed class Worker
    {
        public readonly BlockingCollection<Action> Queue = new();
        /// <summary>Set once the worker knows whether it reached home (see <see cref="HomeError"/>).</summary>
        public readonly ManualResetEventSlim Started = new();
        public readonly Thread Thread;
        public int HomeFd = -1;
        public int ManagedThreadId => Thread.ManagedThreadId;

        public Worker()
        {
            Thread = new Thread(Loop) { IsBackground = true, Name = "VNet namespace worker" };
        }

        private void Loop()
        {
            // Home is the namespace of the process (its main thread), which nothing in VNet switches.
            // The worker starts in the namespace of whoever started it, which is home unless a
            // script block inside another namespace called VNet first; only then is a setns needed.
            // Nothing may escape this thread: an unhandled exception here ends the user's pwsh.
            try
            {
                HomeFd = Sys.Open("/proc/self/ns/net", Sys.O_RDONLY);
                if (Sys.StatPath("/proc/thread-self/ns/net")?.Ino != Sys.FStat(HomeFd).Ino) Sys.SetNs(HomeFd, Sys.CLONE_NEWNET);
            }
            catch (SystemCallException e)
            {
                HomeError = EnterError(e, null, "return the namespace worker to the process's namespace");
            }
            finally { Started.Set(); }
            // A retired worker still drains what was queued: every item enters its own namespace first.
            foreach (var work in Queue.GetConsumingEnumerable())
            {
                try { work(); }
                catch (Exception) { } // each item reports its own errors to its caller
            }
        }

        /// <summary>Why this worker cannot work (it could not reach its home namespace), or null.</summary>
        public VNetException? HomeError;
    }

    private static readonly object Gate = new();
    private static Worker? s_worker;

    private static Worker Get()
    {
        lock (Gate)
        {
            if (s_worker == null)
            {
                s_worker = new Worker();
                s_worker.Thread.Start();
            }
            return s_worker;
        }
    }

    /// <summary>True when the caller is the worker thread itself (nested calls run inline).</summary>
    private static bool OnWorker => s_worker != null && Environment.CurrentManagedThreadId == s_worker.ManagedThreadId;

    /// <summary>Runs <paramref name="work"/> on the worker while it is inside the namespace open on <paramref name="nsFd"/>.</summary>
    public static T Run<T>(int nsFd, Func<T> work, string? display = null) =>
        RunOnWorker(() => Enter(nsFd, display), work);

    /// <summary>
    /// Runs work inside a namespace: right here when the calling thread is already in it (no hop, no
    /// setns), else on the worker.
    /// </summary>
    public static T RunIn<T>(NamespaceHandle h, Func<T> work) =>
        h.IsCallersNamespace() ? work() : Run(h.Fd, work, h.Display);

    /// <summary>Runs work on the worker after it has unshared into a brand-new network namespace.</summary>
    internal static T RunInNewNamespace<T>(Func<T> work) => RunOnWorker(() =>
    {
        try { Sys.Unshare(Sys.CLONE_NEWNET); }
        catch (SystemCallException e) { throw EnterError(e, null, "create a network namespace"); }
    }, work);

    private static void Enter(int nsFd, string? display)
    {
        try { Sys.SetNs(nsFd, Sys.CLONE_NEWNET); }
        catch (SystemCallException e) { throw EnterError(e, display); }
    }

    /// <summary>
    /// setns and unshare need CAP_SYS_ADMIN (besides CAP_NET_ADMIN over the namespace): say so with
    /// the stable PermissionDenied id rather than a bare system-call exception.
    /// </summary>
    private static VNetException EnterError(SystemCallException e, string? display, string? doing = null)
    {
        doing ??= display != null ? $"enter namespace '{display}'" : "enter a network namespace";
        if (e.Errno is Sys.EPERM or Sys.EACCES)
            return new VNetException("PermissionDenied", VNetErrorCategory.PermissionDenied,
                Messages.Format("PermissionDeniedSysAdmin", doing, Sys.StrError(e.Errno)), display, e.Errno, inner: e);
        return VNetException.FromSystemCall(e, doing, display);
    }

    /// <summary>
    /// Hands work to the worker and waits: <paramref name="enter"/> takes the worker into a namespace,
    /// and whatever happens next it goes home again before it takes the next item.
    /// </summary>
    private static T RunOnWorker<T>(Action enter, Func<T> work)
    {
        if (OnWorker) throw new InvalidOperationException("NamespaceThread work is not reentrant");
        var worker = Get();
        worker.Started.Wait();
        if (worker.HomeError != null) throw worker.HomeError;
        T result = default!;
        ExceptionDispatchInfo? error = null;
        using var done = new ManualResetEventSlim();
        worker.Queue.Add(() =>
        {
            try
            {
                enter();
                try { result = work(); }
                finally { ReturnHome(worker); }
            }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        error?.Throw();
        return result;
    }

    /// <summary>
    /// Runs work on a new thread of its own inside the namespace, for work that may take long or
    /// re-enter VNet (a PowerShell script block): the thread enters, runs, leaves and ends.
    /// </summary>
    public static T RunDedicated<T>(int nsFd, Func<T> work, string? display = null)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var t = new Thread(() =>
        {
            int home = -1;
            try
            {
                home = Sys.Open("/proc/thread-self/ns/net", Sys.O_RDONLY);
                Enter(nsFd, display);
                // The thread ends right after; going home only matters to a pooled thread, and a
                // failure there must not hide the work's own result or error.
                try { result = work(); }
                finally { try { Sys.SetNs(home, Sys.CLONE_NEWNET); } catch (SystemCallException) { } }
            }
            catch (SystemCallException e) { error = ExceptionDispatchInfo.Capture(VNetException.FromSystemCall(e, "run inside a namespace", display)); }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { Sys.Close(home); }
        }, 16 * 1024 * 1024) { IsBackground = true, Name = "VNet namespace session" };
        t.Start();
        t.Join();
        error?.Throw();
        return result;
    }

    private static void ReturnHome(Worker worker)
    {
        try
        {
            Sys.SetNs(worker.HomeFd, Sys.CLONE_NEWNET);
        }
        catch
        {
            // Never hand out a thread left in the wrong namespace: retire it; the next call starts another.
            lock (Gate)
            {
                if (ReferenceEquals(s_worker, worker)) s_worker = null;
                worker.Queue.CompleteAdding();
            }
            throw;
        }
    }
}
