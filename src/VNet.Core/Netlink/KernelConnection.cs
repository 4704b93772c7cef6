using VNet.Core.Native;

namespace VNet.Core.Netlink;

/// <summary>
/// A netlink socket of the kernel, bound in the network namespace it was created in (a socket keeps
/// that namespace for its whole life, so no thread ever needs to switch to use it).
/// </summary>
internal sealed class KernelConnection : INetlinkConnection
{
    private int _fd;

    /// <summary>The socket's descriptor, for a poll over several sockets (Watch-NetEvent).</summary>
    internal int Fd => _fd;
    private byte[] _rx = new byte[64 * 1024];

    public KernelConnection(int protocol, uint groups)
    {
        _fd = Sys.Socket(Sys.AF_NETLINK, Tmds.Linux.LibC.SOCK_RAW, protocol);
        try
        {
            // Large receive buffer: a dump of thousands of links must not overrun (ENOBUFS).
            // SO_RCVBUFFORCE needs CAP_NET_ADMIN in the initial user namespace; inside a user-namespace
            // container it fails, and SO_RCVBUF gets as much as net.core.rmem_max allows.
            if (!Sys.TrySetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, 4 * 1024 * 1024))
                Sys.SetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_RCVBUF, 4 * 1024 * 1024, ignoreFailure: true);
            Sys.SetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_SNDBUF, 1024 * 1024, ignoreFailure: true);
            // Extended ACK: the kernel explains its refusals in words. CAP_ACK: errors do not echo the request back.
            Sys.SetSockOptInt(_fd, Sys.SOL_NETLINK, Sys.NETLINK_EXT_ACK, 1, ignoreFailure: true);
            Sys.SetSockOptInt(_fd, Sys.SOL_NETLINK, Sys.NETLINK_CAP_ACK, 1, ignoreFailure: true);
            PortId = Sys.BindNetlink(_fd, groups);
        }
        catch
        {
            Sys.Close(_fd);
            throw;
        }
    }

    public uint PortId { get; }

    public void Send(ReadOnlySpan<byte> request) => Sys.Send(_fd, request);

    /// <summary>What the kernel lets one send carry, known after the first large send; 0 until asked.</summary>
    private int _sendRoom;

    /// <summary>
    /// Grows the send buffer for a large datagram (netlink_sendmsg refuses one longer than the
    /// buffer less 32 bytes). SO_SNDBUF is capped by net.core.wmem_max (about 200 KB by default);
    /// SO_SNDBUFFORCE is not, but needs CAP_NET_ADMIN in the initial user namespace, which a
    /// user-namespace container lacks even where it may change its own nftables. Without it a
    /// batch over the cap fails with EMSGSIZE (NatService names the limit).
    /// </summary>
    public void ReserveSend(int bytes)
    {
        const int KernelOverhead = 32;
        if (bytes + KernelOverhead <= _sendRoom) return;
        // The kernel keeps twice what is asked for (its own bookkeeping); it reports that value.
        _sendRoom = Sys.GetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_SNDBUF);
        if (bytes + KernelOverhead <= _sendRoom) return;
        Sys.SetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, bytes + KernelOverhead, ignoreFailure: true);
        _sendRoom = Sys.GetSockOptInt(_fd, Sys.SOL_SOCKET, Sys.SO_SNDBUF);
    }

    /// <summary>Receives one datagram, growing the buffer first so that nothing is ever truncated.</summary>
    public ReadOnlyMemory<byte> Receive()
    {
        int need = Sys.PeekLength(_fd);
        if (need > _rx.Length) _rx = new byte[Math.Max(need, _rx.Length * 2)];
        int n = Sys.Receive(_fd, _rx);
        // Copy out: the messages outlive the buffer, which the next receive reuses.
        return _rx.AsSpan(0, n).ToArray();
    }

    public bool WaitReadable(int timeoutMs) => Sys.WaitReadable(_fd, timeoutMs);

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        Sys.Close(fd);
    }
}
