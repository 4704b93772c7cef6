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

    private FileStream? _file;

    private FileLock(FileStream f) => _file = f;

    /// <summary>The file the lock lives on.</summary>
    public string Path { get; private init; } = "";

    /// <summary>
    /// Takes the lock, polling every few milliseconds until <paramref name="timeout"/>; then throws
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
        var deadline = DateTime.UtcNow + timeout;
        int wait = 1;
        while (flock(fd, LOCK_EX | LOCK_NB) != 0)
        {
            int err = Marshal.GetLastPInvokeError();
            if (err != Sys.EAGAIN && err != Sys.EINTR)
            {
                f.Dispose();
                throw new SystemCallException("flock " + path, err);
            }
            if (DateTime.UtcNow >= deadline)
            {
                holder = ReadHolder(f);
                f.Dispose();
                return null;
            }
            Thread.Sleep(wait);
            wait = Math.Min(wait * 2, 20);
        }
        f.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        f.Write(pid);
        f.Flush();
        return new FileLock(f) { Path = path };
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
