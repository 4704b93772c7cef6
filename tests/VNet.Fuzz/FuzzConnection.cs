using System.Buffers.Binary;
using VNet.Core.Netlink;

namespace VNet.Fuzz;

/// <summary>
/// The kernel as the fuzzer plays it: every request is answered with the fuzz input as one
/// datagram, then NLMSG_DONE. The input's sequence numbers are set to the request's where a header
/// can be found (so the parsers see the messages instead of skipping them as late replies); nothing
/// else of the input is touched. A second read past DONE ends the exchange with
/// <see cref="FuzzExhaustedException"/> instead of blocking.
/// </summary>
internal sealed class FuzzConnection : INetlinkConnection
{
    private readonly Queue<byte[]> _replies = new();

    /// <summary>The datagram every request is answered with.</summary>
    public byte[] Input { get; set; } = Array.Empty<byte>();

    public uint PortId => 0;

    public void Send(ReadOnlySpan<byte> request)
    {
        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(request.Slice(8));
        var reply = (byte[])Input.Clone();
        int off = 0;
        while (off + 16 <= reply.Length)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(off + 8), seq);
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(off));
            if (len < 16 || len > reply.Length - off) break;
            off += (int)((len + 3) & ~3u);
        }
        _replies.Clear();
        _replies.Enqueue(reply);
        var done = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(done, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(done.AsSpan(4), Nl.DONE);
        BinaryPrimitives.WriteUInt16LittleEndian(done.AsSpan(6), Nl.F_MULTI);
        BinaryPrimitives.WriteUInt32LittleEndian(done.AsSpan(8), seq);
        _replies.Enqueue(done);
    }

    public ReadOnlyMemory<byte> Receive() =>
        _replies.Count > 0 ? _replies.Dequeue() : throw new FuzzExhaustedException();

    public bool WaitReadable(int timeoutMs) => _replies.Count > 0;

    public void Dispose() { }
}

/// <summary>The fuzz input did not end the exchange (no DONE/ACK for the request): not a bug of the parser.</summary>
internal sealed class FuzzExhaustedException : Exception
{
    public FuzzExhaustedException() : base("the fuzz input did not finish the exchange") { }
}
