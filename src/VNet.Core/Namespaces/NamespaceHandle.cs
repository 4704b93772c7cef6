using VNet.Core.Native;

namespace VNet.Core.Namespaces;

/// <summary>
/// An open network namespace: a file descriptor on its nsfs file, which keeps it alive and lets a
/// thread enter it, plus its identity (inode) and the way the user named it.
/// </summary>
public sealed class NamespaceHandle : IDisposable
{
    private int _fd;

    internal NamespaceHandle(int fd, string? display, string path)
    {
        _fd = fd;
        Display = display;
        Path = path;
        Inode = Sys.FStat(fd).Ino;
    }

    /// <summary>The name the user gave (a /run/netns name or a path); null for the caller's own namespace.</summary>
    public string? Display { get; }
    public string Path { get; }
    public ulong Inode { get; }
    internal int Fd => _fd;

    /// <summary>Opens the namespace the calling thread is in.</summary>
    public static NamespaceHandle OpenCurrent() =>
        new(Sys.Open(CurrentPath, Sys.O_RDONLY), null, CurrentPath);

    /// <summary>The path of the calling thread's namespace (a cached handle for it is checked against it, per thread).</summary>
    internal const string CurrentPath = "/proc/thread-self/ns/net";

    /// <summary>Is this the namespace the calling thread is in (so sockets can be opened without switching)?</summary>
    internal bool IsCallersNamespace()
    {
        var st = Sys.StatPath("/proc/thread-self/ns/net");
        return st.HasValue && st.Value.Ino == Inode;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        Sys.Close(fd);
    }

    public override string ToString() => Display ?? "(current)";
}
