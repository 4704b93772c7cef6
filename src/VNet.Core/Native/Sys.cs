using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace VNet.Core.Native;

/// <summary>
/// The few system calls VNet needs, through Tmds.LibC, each turning a -1 into a
/// <see cref="SystemCallException"/> that keeps errno. Nothing else in the core calls libc.
/// </summary>
internal static unsafe class Sys
{
    public const int AF_NETLINK = 16;
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_NETFILTER = 12;
    public const int SOL_SOCKET = 1;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;
    public const int MSG_PEEK = 2;
    public const int MSG_TRUNC = 0x20;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int CLONE_NEWNET = 0x40000000;
    public const int MNT_DETACH = 2;
    public const int UMOUNT_NOFOLLOW = 8;

    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EINVAL = 22, ERANGE = 34,
        ENAMETOOLONG = 36, EOPNOTSUPP = 95, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101,
        ENOBUFS = 105, EMSGSIZE = 90;

    public static int Errno => errno;

    public static string StrError(int err) => Marshal.GetPInvokeErrorMessage(err);

    public static int Check(int rc, string call)
    {
        if (rc < 0) throw new SystemCallException(call, errno);
        return rc;
    }

    public static int Socket(int family, int type, int protocol) =>
        Check(socket(family, type | SOCK_CLOEXEC, protocol), "socket");

    public static void SetSockOptInt(int fd, int level, int name, int value, bool ignoreFailure = false)
    {
        int rc = setsockopt(fd, level, name, &value, (socklen_t)sizeof(int));
        if (rc < 0 && !ignoreFailure) throw new SystemCallException("setsockopt", errno);
    }

    /// <summary>setsockopt of an int; false (and errno left) when the kernel refused it.</summary>
    public static bool TrySetSockOptInt(int fd, int level, int name, int value) =>
        setsockopt(fd, level, name, &value, (socklen_t)sizeof(int)) == 0;

    public static int GetSockOptInt(int fd, int level, int name)
    {
        int value = 0;
        socklen_t len = (socklen_t)sizeof(int);
        Check(getsockopt(fd, level, name, &value, &len), "getsockopt");
        return value;
    }

    /// <summary>Binds a netlink socket; the kernel picks the port id, which is returned.</summary>
    public static uint BindNetlink(int fd, uint groups)
    {
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        byte* sa = stackalloc byte[12];
        new Span<byte>(sa, 12).Clear();
        *(ushort*)sa = AF_NETLINK;
        *(uint*)(sa + 8) = groups;
        Check(bind(fd, (sockaddr*)sa, 12), "bind");
        socklen_t len = 12;
        Check(getsockname(fd, (sockaddr*)sa, &len), "getsockname");
        return *(uint*)(sa + 4);
    }

    public static void Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                long n = send(fd, p, (size_t)data.Length, 0);
                if (n >= 0) return;
                int err = errno;
                if (err == EINTR) continue;
                throw new SystemCallException("send", err);
            }
        }
    }

    /// <summary>Length of the next datagram without consuming it (MSG_PEEK|MSG_TRUNC).</summary>
    public static int PeekLength(int fd)
    {
        byte dummy;
        while (true)
        {
            long n = recv(fd, &dummy, 0, MSG_PEEK | MSG_TRUNC);
            if (n >= 0) return (int)n;
            if (errno == EINTR) continue;
            throw new SystemCallException("recv", errno);
        }
    }

    public static int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = recv(fd, p, (size_t)buffer.Length, 0);
                if (n >= 0) return (int)n;
                if (errno == EINTR) continue;
                throw new SystemCallException("recv", errno);
            }
        }
    }

    /// <summary>Waits until fd is readable; false on timeout.</summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        pollfd pfd = default;
        pfd.fd = fd;
        pfd.events = POLLIN;
        while (true)
        {
            int rc = poll(&pfd, 1, timeoutMs);
            if (rc > 0) return true;
            if (rc == 0) return false;
            // A signal (SIGCHLD when a child process ends) interrupts poll; errno may already read 0
            // by then, as the runtime ran in between. Either way, wait again.
            int err = errno;
            if (err == EINTR || err == 0) continue;
            throw new SystemCallException("poll", err);
        }
    }

    /// <summary>
    /// Waits until any of the fds is readable (one poll for several event sockets, Watch-NetEvent
    /// across namespaces); returns which are, empty on timeout.
    /// </summary>
    public static List<int> WaitAnyReadable(IReadOnlyList<int> fds, int timeoutMs)
    {
        var pfds = new pollfd[fds.Count];
        for (int i = 0; i < fds.Count; i++) { pfds[i].fd = fds[i]; pfds[i].events = POLLIN; }
        fixed (pollfd* p = pfds)
        {
            while (true)
            {
                int rc = poll(p, (uint)pfds.Length, timeoutMs);
                if (rc == 0) return new List<int>();
                if (rc > 0)
                {
                    var ready = new List<int>(rc);
                    for (int i = 0; i < pfds.Length; i++) if ((pfds[i].revents & (POLLIN | POLLERR)) != 0) ready.Add(i);
                    return ready;
                }
                int err = errno;
                if (err == EINTR || err == 0) continue; // as in WaitReadable
                throw new SystemCallException("poll", err);
            }
        }
    }

    public static int Open(string path, int flags, int mode = 0)
    {
        byte[] p = CString(path);
        fixed (byte* pp = p)
        {
            int fd = open(pp, flags | O_CLOEXEC, (mode_t)mode);
            if (fd < 0) throw new SystemCallException("open", errno, path);
            return fd;
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) close(fd);
    }

    public static void SetNs(int fd, int nstype)
    {
        Check(setns(fd, nstype), "setns");
    }

    public static void Unshare(int flags) => Check(unshare(flags), "unshare");

    public static void Mount(string? source, string target, string? fstype, ulong flags)
    {
        byte[]? s = source == null ? null : CString(source);
        byte[] t = CString(target);
        byte[]? f = fstype == null ? null : CString(fstype);
        fixed (byte* ps = s)
        fixed (byte* pt = t)
        fixed (byte* pf = f)
        {
            if (mount(ps, pt, pf, (ulong_t)flags, null) < 0) throw new SystemCallException("mount", errno, target);
        }
    }

    public static int Umount(string target, int flags)
    {
        byte[] t = CString(target);
        fixed (byte* pt = t) return umount2(pt, flags) < 0 ? errno : 0;
    }

    /// <summary>The inode and device of an open file (for a namespace file: the namespace's identity).</summary>
    public static (ulong Dev, ulong Ino) FStat(int fd)
    {
        stat st;
        Check(fstat(fd, &st), "fstat");
        return ((ulong)st.st_dev, (ulong)st.st_ino);
    }

    public static (ulong Dev, ulong Ino)? StatPath(string path)
    {
        byte[] p = CString(path);
        stat st;
        fixed (byte* pp = p)
        {
            if (stat(pp, &st) < 0) return null;
        }
        return ((ulong)st.st_dev, (ulong)st.st_ino);
    }


    public static byte[] CString(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        var b = new byte[n + 1];
        Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
        return b;
    }

    public static ulong MS_BIND => (ulong)LibC.MS_BIND;
    public static ulong MS_REC => (ulong)LibC.MS_REC;
    public static ulong MS_SHARED => (ulong)LibC.MS_SHARED;
    public static ulong MS_PRIVATE => (ulong)LibC.MS_PRIVATE;
    public static ulong MS_SLAVE => (ulong)LibC.MS_SLAVE;

    public const int SIGTERM = 15, SIGKILL = 9;

    /// <summary>Sends a signal; returns 0, or errno (ESRCH: the process is gone already).</summary>
    public static int Kill(int pid, int signal) => kill(pid, signal) < 0 ? errno : 0;
}

/// <summary>A failed system call with its errno; the core turns it into a <see cref="VNetException"/>.</summary>
public sealed class SystemCallException : Exception
{
    public SystemCallException(string call, int errno, string? path = null)
        : base($"{call}{(path == null ? "" : $" {path}")}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Call = call;
        Errno = errno;
        Path = path;
    }

    public string Call { get; }
    public int Errno { get; }
    public string? Path { get; }
}
