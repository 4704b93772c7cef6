using System.Buffers.Binary;
using VNet.Core.Native;

namespace VNet.Core.Netlink;

/// <summary>
/// One netlink conversation over a connection (the kernel's socket, see KernelConnection; a fake in
/// tests, see INetlinkConnection). Requests ask for
/// an ACK and come back with the kernel's errno and extended-ACK text; dumps collect every
/// multipart message, check sequence numbers and restart when the kernel flags NLM_F_DUMP_INTR.
/// Not thread-safe: one caller at a time.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private const int MaxDumpRetries = 10;
    private readonly INetlinkConnection _conn;
    private uint _seq;

    public NetlinkSocket(int protocol = Sys.NETLINK_ROUTE, uint groups = 0)
        : this(new KernelConnection(protocol, groups), (uint)Environment.TickCount) { }

    /// <summary>Over another transport (tests: a recording or replaying connection); the first request gets <paramref name="seq"/> + 1.</summary>
    internal NetlinkSocket(INetlinkConnection connection, uint seq = 0)
    {
        _conn = connection;
        _seq = seq;
    }

    public uint PortId => _conn.PortId;

    /// <summary>
    /// False from a request's send until its whole answer was read: a socket left in the middle of
    /// an answer (a parse error, an overrun) still has the rest queued, and a dump still running in
    /// the kernel, so it is not handed on to another context (see Namespaces/NamespaceCache.cs).
    /// </summary>
    internal bool Settled { get; private set; } = true;

    /// <summary>The kernel socket's descriptor, to poll several sockets at once; only a kernel connection has one.</summary>
    internal int Fd => _conn is KernelConnection k ? k.Fd : throw new InvalidOperationException("This netlink connection has no descriptor to poll.");

    /// <summary>Sends a request with NLM_F_ACK and waits for its ACK; returns any replies before it (NLM_F_ECHO).</summary>
    public List<NetlinkMessage> Request(NetlinkWriter msg, string doing, object? target)
    {
        uint seq = ++_seq;
        Settled = false;
        _conn.Send(msg.Finish(seq));
        var replies = new List<NetlinkMessage>();
        while (true)
        {
            foreach (var m in ReceiveDatagram())
            {
                if (m.Seq != seq) continue; // a late reply to an earlier request
                if (m.Type == Nl.ERROR)
                {
                    var (err, text) = ParseError(m);
                    Settled = true;
                    if (err == 0) return replies;
                    throw VNetException.FromErrno(err, doing, target, text);
                }
                replies.Add(m);
                if ((msg.Flags & Nl.F_ACK) == 0 && (m.Flags & Nl.F_MULTI) == 0) { Settled = true; return replies; }
            }
        }
    }

    /// <summary>
    /// A dump request (NLM_F_DUMP). Returns every message of the answer; if the kernel reports that
    /// the dump was interrupted by a change (NLM_F_DUMP_INTR), the whole dump is done again.
    /// </summary>
    public List<NetlinkMessage> Dump(NetlinkWriter msg, string doing, object? target = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            uint seq = ++_seq;
            Settled = false;
            _conn.Send(msg.Finish(seq));
            var result = new List<NetlinkMessage>();
            bool interrupted = false;
            bool done = false;
            while (!done)
            {
                foreach (var m in ReceiveDatagram())
                {
                    if (m.Seq != seq) continue;
                    if ((m.Flags & Nl.F_DUMP_INTR) != 0) interrupted = true;
                    if (m.Type == Nl.DONE) { done = true; break; }
                    if (m.Type == Nl.ERROR)
                    {
                        var (err, text) = ParseError(m);
                        if (err == 0) { done = true; break; }
                        Settled = true;
                        throw VNetException.FromErrno(err, doing, target, text);
                    }
                    if (m.Type == Nl.OVERRUN) throw new NetlinkParseException("the kernel reported a receive overrun");
                    result.Add(m);
                }
            }
            Settled = true;
            if (!interrupted) return result;
            if (attempt >= MaxDumpRetries)
                throw new VNetException("DumpInterrupted", VNetErrorCategory.ResourceBusy,
                    Messages.Format("DumpInterrupted", doing, MaxDumpRetries + 1), target);
        }
    }

    /// <summary>
    /// Sends nfnetlink messages as one batch (NFNL_MSG_BATCH_BEGIN, the messages, NFNL_MSG_BATCH_END)
    /// in one datagram: the kernel commits them as one transaction, or on any error aborts them all.
    /// Throws the first message's error (its errno and the kernel's extended-ACK text).
    /// </summary>
    public void Batch(IReadOnlyList<NetlinkWriter> msgs, ushort subsystem, string doing, object? target)
    {
        if (TryBatch(msgs, subsystem) is { } e) throw VNetException.FromErrno(e.Errno, doing, target, e.Text);
    }

    /// <summary>
    /// A batch as <see cref="Batch"/>, returning what the kernel refused (null when it committed
    /// all), so a caller can name the element the offset points at. The kernel handles a batch
    /// from one skb synchronously inside sendmsg and queues every ACK and error before send
    /// returns, so the answer is drained from the socket then, as nft's mnl_batch_talk does, and
    /// never waited for: after an abort the kernel does not answer every message. The kernel reports
    /// every refused message whether it asked for an ACK or not, so the last one asking is enough;
    /// errors are matched to messages by sequence number.
    /// </summary>
    public BatchError? TryBatch(IReadOnlyList<NetlinkWriter> msgs, ushort subsystem)
    {
        if (msgs.Count == 0) return null;
        uint begin = ++_seq;
        var marks = (Begin: Marker(Nfnl.MSG_BATCH_BEGIN, subsystem), End: Marker(Nfnl.MSG_BATCH_END, subsystem));
        int total = marks.Begin.Length + marks.End.Length;
        foreach (var m in msgs) total += m.Length;
        var buf = new byte[total];
        int off = 0;
        void Put(ReadOnlySpan<byte> b) { b.CopyTo(buf.AsSpan(off)); off += b.Length; }
        Put(marks.Begin.Finish(begin));
        foreach (var m in msgs) Put(m.Finish(++_seq));
        uint end = ++_seq;
        Put(marks.End.Finish(end));
        _conn.ReserveSend(total);
        try { _conn.Send(buf); }
        catch (SystemCallException e)
        {
            // Nothing was sent (EMSGSIZE when the send buffer could not grow): a refusal of the whole batch.
            return new BatchError(-1, e.Errno, null, null);
        }
        Settled = false;
        BatchError? first = null;
        while (_conn.WaitReadable(0))
        {
            foreach (var m in ReceiveDatagram())
            {
                // Unsigned distance from the begin marker: sequence numbers may wrap inside a batch.
                uint at = unchecked(m.Seq - begin);
                if (m.Type != Nl.ERROR || at > end - begin) continue;
                var (err, text, offset) = ParseErrorDetail(m);
                if (err == 0) continue;
                // -1: the begin marker itself was refused (no CAP_NET_ADMIN, no nf_tables).
                int index = (int)at - 1;
                if (first == null || index < first.Message) first = new BatchError(index, err, text, offset);
            }
        }
        Settled = true;
        return first;
    }

    /// <summary>A batch marker: nfgenmsg with AF_UNSPEC, version 0, and the subsystem in res_id (network order).</summary>
    private static NetlinkWriter Marker(ushort type, ushort subsystem)
    {
        var w = new NetlinkWriter(type, Nl.F_REQUEST, 32);
        BinaryPrimitives.WriteUInt16BigEndian(w.Reserve(4).Slice(2), subsystem);
        return w;
    }

    /// <summary>For event sockets (multicast groups): the next datagram, or null when none came within the timeout.</summary>
    public List<NetlinkMessage>? ReceiveDatagram(int timeoutMs) => _conn.WaitReadable(timeoutMs) ? ReceiveDatagram() : null;

    /// <summary>Receives one datagram and splits it into messages.</summary>
    public List<NetlinkMessage> ReceiveDatagram() => NetlinkMessage.ParseAll(_conn.Receive());

    /// <summary>
    /// Reads an NLMSG_ERROR payload: the negative errno, the echoed request header (whole request
    /// when not capped), then, with NLM_F_ACK_TLVS, the extended-ACK attributes.
    /// </summary>
    internal static (int Errno, string? Message) ParseError(NetlinkMessage m)
    {
        var (err, text, _) = ParseErrorDetail(m);
        return (err, text);
    }

    /// <summary>As <see cref="ParseError"/>, with the offset (NLMSGERR_ATTR_OFFS) of the attribute the kernel blamed, from the start of the request.</summary>
    internal static (int Errno, string? Message, uint? Offset) ParseErrorDetail(NetlinkMessage m)
    {
        var p = m.Payload.Span;
        if (p.Length < 4) throw new NetlinkParseException($"error message of {p.Length} bytes");
        int err = -BinaryPrimitives.ReadInt32LittleEndian(p);
        string? text = null;
        uint? offset = null;
        if ((m.Flags & Nl.F_ACK_TLVS) != 0 && p.Length >= 4 + Nl.HeaderLength)
        {
            uint inner = Nl.HeaderLength;
            if ((m.Flags & Nl.F_CAPPED) == 0)
                inner = BinaryPrimitives.ReadUInt32LittleEndian(p.Slice(4));
            // The echoed request's length is read from the wire: one that does not fit the payload
            // (afl-fuzz found lengths that wrapped negative) leaves no room for the extended ACK, and
            // the errno before it still stands.
            long tlvStart = 4 + (((long)inner + 3) & ~3L);
            if (inner >= Nl.HeaderLength && tlvStart <= p.Length)
            {
                var ext = AttributeSet.Parse(m.Payload.Slice((int)tlvStart));
                text = ext.String(Nl.ERR_ATTR_MSG);
                offset = ext.U32(Nl.ERR_ATTR_OFFS);
            }
        }
        return (err, string.IsNullOrEmpty(text) ? null : text, offset);
    }

    public void Dispose() => _conn.Dispose();
}

/// <summary>The message of a batch the kernel refused (its index; -1 the batch itself), its errno and text, and the offset of the attribute it blamed in that message.</summary>
internal sealed record BatchError(int Message, int Errno, string? Text, uint? Offset);
