namespace VNet.Core.Netlink;

/// <summary>
/// The transport under <see cref="NetlinkSocket"/>: whole datagrams out and in. The kernel socket
/// (<see cref="KernelConnection"/>) is the only one the product uses; tests put a recording or a
/// replaying connection here so the parsers, the dump/ACK logic and the request builders above it
/// run without root and without a kernel (the way mdlayher/netlink's nltest fakes its socket).
/// </summary>
internal interface INetlinkConnection : IDisposable
{
    /// <summary>The port id the kernel gave the socket (nl_pid); 0 for a fake.</summary>
    uint PortId { get; }

    /// <summary>Sends one complete request (header included, sequence number set).</summary>
    void Send(ReadOnlySpan<byte> request);

    /// <summary>
    /// Makes sure one datagram of <paramref name="bytes"/> can be sent (the kernel refuses a
    /// datagram larger than the socket's send buffer with EMSGSIZE; an nfnetlink batch is one
    /// datagram). A fake has no buffer to grow.
    /// </summary>
    void ReserveSend(int bytes) { }

    /// <summary>The next datagram, whole; blocks until one arrives. The caller may keep it.</summary>
    ReadOnlyMemory<byte> Receive();

    /// <summary>True when a datagram can be received now or within the timeout.</summary>
    bool WaitReadable(int timeoutMs);
}
