using System.Runtime.InteropServices;
using VNet.Core.Native;

namespace VNet.Core.Networks.Agent;

/// <summary>
/// The agent's flocks (agent.lock for its life, launch.lock while a caller starts one), on a raw
/// file descriptor. Not Native/FileLock: that opens the file with a .NET FileStream, and .NET on
/// Linux takes a flock of its own on every FileStream it opens (LOCK_SH without FileShare.None), so
/// while another process holds the LOCK_EX the open itself fails with "being used by another
/// process" instead of waiting. The kernel drops these locks when the holder dies (kill -9 too).
/// </summary>
internal sealed class AgentLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4;
    [DllImport("libc", SetLastError = true)] private static extern int flock(int fd, int operation);

    private int _fd;

    private AgentLock(int fd) => _fd = fd;

    /// <summary>The lock, waiting up to <paramref name="timeout"/>; null when still held by another then.</summary>
    public static AgentLock? TryAcquire(string path, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int fd = Sys.Open(path, 2 /* O_RDWR */ | Sys.O_CREAT | Sys.O_CLOEXEC, Convert.ToInt32("644", 8));
        var deadline = DateTime.UtcNow + timeout;
        while (flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            int err = Marshal.GetLastPInvokeError();
            if ((err != Sys.EAGAIN && err != Sys.EINTR) || DateTime.UtcNow >= deadline)
            {
                Sys.Close(fd);
                if (err != Sys.EAGAIN && err != Sys.EINTR) throw new SystemCallException("flock " + path, err);
                return null;
            }
            Thread.Sleep(10);
        }
        return new AgentLock(fd);
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) Sys.Close(fd); // closing the last descriptor releases the flock
    }
}
