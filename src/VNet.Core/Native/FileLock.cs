using System.Runtime.InteropServices;

namespace VNet.Core.Native;

/// <summary>
/// An exclusive flock(2) on a file. The kernel drops it when its holder dies (kill -9 included), so
/// a crashed caller never leaves a lock that blocks the next one. The holder writes its process id
/// into the file, so a caller that times out can name who holds it.
/// </summary>
public sealed class FileLock : IDisposable
{
    private const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    [DllImport("libc", SetLastError = true)] private static extern int flock(int fd, int operation);
    // Waiting: every holder closes the file when it lets go (kill -9 included), and inotify says so.
    private const int IN_CLOSE_WRITE = 0x8, IN_CLOSE_NOWRITE = 0x10, IN_NONBLOCK = 0x800, IN_CLOEXEC = 0x80000;
    [DllImport("libc", SetLastError = true)] private static extern int inotify_init1(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int inotify_add_watch(int fd, string path, uint mask);
    [DllImport("libc", SetLastError = true)] private static extern unsafe nint read(int fd, byte* buf, nint count);

    /// <summary>
    /// The longest a waiter sleeps without news. The kernel reports a dying holder's close just
    /// before it drops that holder's lock, so the try right after that event can still fail; this
    /// is the one case where the waiter wakes on time rather than on an event.
    /// </summary>
    private const int RecheckMs = 50;

    private FileStream? _file;

    private FileLock(FileStream f) => _file = f;

    /// <summary>The file the lock lives on.</summary>
    public string Path { get; private init; } = "";

    /// <summary>
    /// Takes the lock, waiting (woken when a holder closes the file) until <paramref name="timeout"/>; then throws
    /// LockTimeout naming <paramref name="what"/> and the process that holds it.
    /// </summary>
    public static FileLock Acquire(string path, TimeSpan timeout, string what) =>
        Take(path, timeout, out string holder)
            ?? throw Messages.Error("LockTimeout", VNetErrorCategory.ResourceBusy, what, what, holder, timeout.TotalSeconds, path);

    /// <summary>
    /// The lock, waiting up to <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: one try);
    /// null when another still holds it then. For callers to whom a held lock is an answer, not an
    /// error (is the agent still running, is another caller starting it).
    /// </summary>
    public static FileLock? TryAcquire(string path, TimeSpan timeout) => Take(path, timeout, out _);

    private static FileLock? Take(string path, TimeSpan timeout, out string holder)
    {
        holder = "";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Opened with open(2), not by path through FileStream: .NET on Linux takes a flock of its own
        // (LOCK_SH, without FileShare.None) on every path it opens, so while another process holds
        // the LOCK_EX below the open itself would fail at once with "being used by another process"
        // instead of waiting. A FileStream over a handle takes none. (Sys.Open adds O_CLOEXEC, so a
        // process started while the lock is held, such as the agent, does not inherit it.)
        const int O_RDWR = 2;
        var f = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(Sys.Open(path, O_RDWR | Sys.O_CREAT, 0x1a4 /* 0644 */), ownsHandle: true), FileAccess.ReadWrite);
        int fd = (int)f.SafeFileHandle.DangerousGetHandle();
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        int watch = -1;
        try
        {
            while (flock(fd, LOCK_EX | LOCK_NB) != 0)
            {
                int err = Marshal.GetLastPInvokeError();
                if (err != Sys.EAGAIN && err != Sys.EINTR)
                {
                    f.Dispose();
                    throw new SystemCallException("flock " + path, err);
                }
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    holder = ReadHolder(f);
                    f.Dispose();
                    return null;
                }
                // Held: sleep until someone closes the file (the holder letting go), not on a timer.
                // The watch is set before the next try, so a release in between is not missed.
                if (watch < 0 && (watch = Watch(path)) < 0)
                {
                    Thread.Sleep((int)Math.Min(left, 5)); // no inotify: a short poll
                    continue;
                }
                if (Sys.WaitReadable(watch, (int)Math.Min(left, RecheckMs))) Drain(watch);
            }
        }
        finally
        {
            if (watch >= 0) Sys.Close(watch);
        }
        f.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        f.Write(pid);
        f.Flush();
        return new FileLock(f) { Path = path };
    }

    /// <summary>
    /// Waits for an exclusive flock on a descriptor the caller holds, for sections of a few
    /// milliseconds (a namespace's mount on its name); closing the descriptor lets it go.
    /// </summary>
    internal static void Exclusive(int fd)
    {
        while (flock(fd, LOCK_EX) != 0)
        {
            int err = Marshal.GetLastPInvokeError();
            if (err != Sys.EINTR) throw new SystemCallException("flock", err);
        }
    }

    /// <summary>An inotify descriptor told of every close of the lock file; -1 when inotify is not to be had.</summary>
    private static int Watch(string path)
    {
        int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) return -1;
        if (inotify_add_watch(fd, path, IN_CLOSE_WRITE | IN_CLOSE_NOWRITE) < 0)
        {
            Sys.Close(fd);
            return -1;
        }
        return fd;
    }

    /// <summary>Reads the events that woke the waiter, so the next wait sleeps until a new one.</summary>
    private static unsafe void Drain(int fd)
    {
        byte* buf = stackalloc byte[4096];
        while (read(fd, buf, 4096) > 0) { }
    }

    private static string ReadHolder(FileStream f)
    {
        try
        {
            f.Position = 0;
            using var r = new StreamReader(f, leaveOpen: true);
            string text = r.ReadToEnd().Trim();
            if (int.TryParse(text, out int pid))
            {
                string comm = "";
                try { comm = File.ReadAllText($"/proc/{pid}/comm").Trim(); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                return comm.Length > 0 ? $"process {pid} ({comm})" : $"process {pid}";
            }
        }
        catch (IOException) { }
        return "another process";
    }

    public void Dispose()
    {
        var f = Interlocked.Exchange(ref _file, null);
        if (f == null) return;
        flock((int)f.SafeFileHandle.DangerousGetHandle(), LOCK_UN);
        f.Dispose();
    }
}
