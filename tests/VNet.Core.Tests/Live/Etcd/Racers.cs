using System.Runtime.ExceptionServices;

namespace VNet.Core.Tests.Live.Etcd;

/// <summary>
/// Store clients racing each other, as separate pwsh processes or runspaces would: each racer on a
/// thread of its own, all released at once. Not Parallel.For: its racers are thread-pool threads,
/// and a blocking gRPC call needs a pool thread to complete it, so ten racers blocking the pool of
/// a 2-core host starve their own calls until the store deadline passes (a CI run failed so, with a
/// 3 s deadline reported as a lost quorum). The pool's minimum is raised too, for the same reason:
/// 150 calls completing at once are more than a 2-core pool hands out within the deadline.
/// </summary>
internal static class Racers
{
    public static void Run(int count, Action<int> racer)
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, count + 50), Math.Max(io, count + 50));
        using var go = new ManualResetEventSlim();
        var failures = new Exception?[count];
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            go.Wait();
            try { racer(i); }
            catch (Exception e) { failures[i] = e; }
        }) { IsBackground = true, Name = $"racer {i}" }).ToList();
        threads.ForEach(t => t.Start());
        go.Set();
        threads.ForEach(t => t.Join());
        // The first failure as itself (its ErrorId and stack), the way a single call would show it.
        if (failures.FirstOrDefault(f => f != null) is { } first) ExceptionDispatchInfo.Throw(first);
    }
}
