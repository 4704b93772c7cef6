using System.Buffers.Binary;
using VNet.Core.Netlink;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// A socket left in the middle of an answer must not be handed on to the next call (the cmdlets'
/// NamespaceCache keeps only settled sockets): the rest of the answer is still queued.
/// </summary>
public class NetlinkSettledTests
{
    /// <summary>Answers each request with the datagrams a test queues, stamped with the request's sequence number.</summary>
    private sealed class Scripted : INetlinkConnection
    {
        public readonly Queue<Func<uint, byte[]>> Answers = new();
        private uint _seq;
        public uint PortId => 1;
        public void Send(ReadOnlySpan<byte> request) => _seq = BinaryPrimitives.ReadUInt32LittleEndian(request.Slice(8));
        public ReadOnlyMemory<byte> Receive() => Answers.Dequeue()(_seq);
        public bool WaitReadable(int timeoutMs) => Answers.Count > 0;
        public void Dispose() { }
    }

    private static byte[] Message(ushort type, uint seq, ushort flags = 0, int payload = 4)
    {
        var b = new byte[16 + payload];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), seq);
        return b;
    }

    [Fact]
    public void ADumpReadToItsEndIsSettled()
    {
        var c = new Scripted();
        c.Answers.Enqueue(seq => Message(Rtm.NEWLINK, seq, Nl.F_MULTI));
        c.Answers.Enqueue(seq => Message(Nl.DONE, seq, Nl.F_MULTI));
        using var s = new NetlinkSocket(c);
        Assert.Single(s.Dump(new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST | Nl.F_DUMP), "dump links"));
        Assert.True(s.Settled);
    }

    [Fact]
    public void ADumpBrokenOffInTheMiddleIsNot()
    {
        var c = new Scripted();
        c.Answers.Enqueue(seq => Message(Rtm.NEWLINK, seq, Nl.F_MULTI));
        c.Answers.Enqueue(seq => new byte[] { 1, 2, 3 }); // a datagram that does not parse
        using var s = new NetlinkSocket(c);
        Assert.ThrowsAny<Exception>(() => s.Dump(new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST | Nl.F_DUMP), "dump links"));
        Assert.False(s.Settled);
    }

    [Fact]
    public void ARefusalIsAWholeAnswer()
    {
        var c = new Scripted();
        c.Answers.Enqueue(seq =>
        {
            var m = Message(Nl.ERROR, seq, payload: 20);
            BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(16), -17); // EEXIST
            return m;
        });
        using var s = new NetlinkSocket(c);
        Assert.Throws<VNetException>(() => s.Request(new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK), "add a link", null));
        Assert.True(s.Settled);
    }
}
