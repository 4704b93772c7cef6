using System.Diagnostics;
using VNet.Core.Native;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// The lock every change to VNet's firewall and network state takes (Native/FileLock.cs): a waiter
/// gets it when the holder lets go or dies, long before its timeout; a timeout names the holder.
/// </summary>
public class FileLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vnet-lock-" + Guid.NewGuid().ToString("N")[..8]);

    private string LockPath => Path.Combine(_dir, "a.lock");

    [Fact]
    public void AWaiterGetsTheLockWhenTheHolderLetsGo()
    {
        var held = FileLock.Acquire(LockPath, TimeSpan.FromSeconds(1), "test");
        var waiter = Task.Run(() => FileLock.Acquire(LockPath, TimeSpan.FromSeconds(60), "test"));
        Thread.Sleep(200);
        Assert.False(waiter.IsCompleted, "the waiter got a lock that was held");
        held.Dispose();
        // Woken by the release, not by its 60 s timeout.
        Assert.True(waiter.Wait(TimeSpan.FromSeconds(20)), "the waiter did not get the released lock");
        waiter.Result.Dispose();
    }

    [Fact]
    public void AWaiterGetsTheLockWhenTheHoldingProcessIsKilled()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(LockPath, "");
        using var holder = Process.Start(new ProcessStartInfo("flock", new[] { "-x", LockPath, "sleep", "120" }))!;
        // The holder has it once a try fails.
        for (int i = 0; i < 100 && FileLock.TryAcquire(LockPath, TimeSpan.Zero) is { } l; i++) { l.Dispose(); Thread.Sleep(20); }
        Assert.Null(FileLock.TryAcquire(LockPath, TimeSpan.Zero));
        var waiter = Task.Run(() => FileLock.Acquire(LockPath, TimeSpan.FromSeconds(60), "test"));
        Thread.Sleep(100);
        holder.Kill(entireProcessTree: true);
        Assert.True(waiter.Wait(TimeSpan.FromSeconds(20)), "the waiter did not get the lock of a killed holder");
        waiter.Result.Dispose();
    }

    [Fact]
    public void ATimeoutNamesTheHolder()
    {
        using var held = FileLock.Acquire(LockPath, TimeSpan.FromSeconds(1), "test");
        var e = Assert.Throws<VNetException>(() => FileLock.Acquire(LockPath, TimeSpan.FromMilliseconds(300), "the test lock"));
        Assert.Equal("LockTimeout", e.ErrorId);
        Assert.Contains($"process {Environment.ProcessId}", e.Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
