using System.Buffers.Binary;
using System.Net;
using VNet.Core.Filter;
using VNet.Core.Netlink;
using VNet.Core.Tests.Replay;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// Publish elements over nfnetlink without root: the batches and dumps NatService sends, replayed
/// against the kernel's recorded answers (Recordings/nat-elements.netfilter.nlrec, made by
/// tests/VNet.Fuzz's recorder: every request is compared byte for byte with what the kernel
/// accepted), and the builder, the batch framing and the dump parser on their own.
/// </summary>
public class NftSetElementsTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Recordings");
    private static readonly byte[] A10 = { 198, 51, 100, 10 }, A11 = { 198, 51, 100, 11 };

    [Fact]
    public void TheRecordedBatchesDumpsAndRefusal()
    {
        var conns = new List<ReplayConnection>();
        using var ctx = new NetContext
        {
            Connections = protocol =>
            {
                string file = NetlinkRecording.FileName("nat-elements", protocol);
                var c = new ReplayConnection(NetlinkRecording.Load(Path.Combine(Dir, file)), file);
                conns.Add(c);
                return c;
            },
        };
        var sock = ctx.NetfilterSocket(null);
        var host = IPAddress.Parse("198.51.100.1");
        // Both publishes, both maps each, in one batch: the kernel ACKs every message.
        var add = new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), A10, "vnet:publish-tcp-8080") })
            .Add("pub_tcp_port", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), NftSetElements.InetService(80)) })
            .Add("pub_tcp_addr", new[] { 9000, 9001 }.Select(p => new NftSetElements.Element(NatIds.Key(host, p), A11, "vnet:publish-tcp-198.51.100.1-9000-9001")).ToList())
            .Add("pub_tcp_addr_port", new[] { 9000, 9001 }.Select(p => new NftSetElements.Element(NatIds.Key(host, p), NftSetElements.InetService(p))).ToList());
        Assert.Null(add.Commit(sock));
        Assert.True(sock.Settled);

        // The second message repeats a key: EEXIST, pointing at the element; the first message's 8081 is gone with it.
        var clash = new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8081), A10, "vnet:publish-tcp-8081") })
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), A10, "vnet:publish-tcp-8080") });
        var refused = clash.Commit(sock);
        Assert.NotNull(refused);
        Assert.Equal((1, Native.Sys.EEXIST), (refused!.Message, refused.Errno));
        Assert.Equal(("pub_tcp", 0), clash.Locate(refused));
        Assert.True(sock.Settled);

        // Get-NatRule's reading: every map dumped over nfnetlink, no libnftables (no SNAT rule here).
        var rules = ctx.Nat.List();
        Assert.Equal(2, rules.Count);
        var web = Assert.Single(rules, r => r.Id == "publish-tcp-8080");
        Assert.Equal(("Publish", "IPv4", "tcp", "8080", "198.51.100.10", "80", (string?)null),
            (web.Kind, web.AddressFamily, web.Protocol, web.PublishPort, web.ToAddress, web.ToPort, web.HostAddress));
        Assert.Equal("tcp dport 8080 dnat to 198.51.100.10:80 (map @pub_tcp)", web.Text);
        var range = Assert.Single(rules, r => r.Id == "publish-tcp-198.51.100.1-9000-9001");
        Assert.Equal(("9000-9001", "198.51.100.11", "9000-9001", "198.51.100.1"), (range.PublishPort, range.ToAddress, range.ToPort, range.HostAddress));
        Assert.DoesNotContain(rules, r => r.Id == "publish-tcp-8081");

        var keys = new[] { NftSetElements.InetService(8080) };
        Assert.Null(new NftElementBatch(Nftables.FamilyInet, "vnet").Delete("pub_tcp", keys).Delete("pub_tcp_port", keys).Commit(sock));
        Assert.All(conns, c => Assert.True(c.Finished));
    }

    [Fact]
    public void LongListsAreSplitAndARefusalNamesItsElement()
    {
        var elems = Enumerable.Range(1, 600).Select(p => new NftSetElements.Element(NftSetElements.InetService(p), A10, "vnet:x")).ToList();
        var batch = new NftElementBatch(Nftables.FamilyInet, "vnet").Add("pub_tcp", elems);
        Assert.Equal(3, batch.Messages.Count);
        var counts = batch.Messages.Select(m => ElementsOf(m.ToArray(1)).Count).ToList();
        Assert.Equal(new[] { 256, 256, 88 }, counts);
        // Every message asks for an ACK, creates, and refuses an existing key.
        // No ACK asked while building: Commit asks for one on the last message only (the kernel
        // reports refused messages anyway, and hundreds of ACKs could overflow the receive buffer).
        Assert.All(batch.Messages, m => Assert.Equal(Nl.F_REQUEST | Nl.F_CREATE | Nl.F_EXCL, m.Flags));
        Assert.All(batch.Messages, m => Assert.Equal(NftSetElements.Subsys << 8 | NftSetElements.MsgNewSetElem, m.Type));
        // The kernel's offset of element 10 of the third message is element 522 of the list.
        var third = batch.Messages[2].ToArray(1);
        int off = ElementOffsets(third)[10];
        Assert.Equal(("pub_tcp", 522), batch.Locate(new BatchError(2, Native.Sys.EEXIST, null, (uint)off)));
        // An offset inside an element (its key) still names that element; none at all names none.
        Assert.Equal(("pub_tcp", 522), batch.Locate(new BatchError(2, Native.Sys.EEXIST, null, (uint)off + 8)));
        Assert.Null(batch.Locate(new BatchError(2, Native.Sys.EEXIST, null, null)));
        Assert.Null(batch.Locate(new BatchError(-1, Native.Sys.EPERM, null, null)));
    }

    [Fact]
    public void KeysAreLaidOutAsNftDoes()
    {
        Assert.Equal(new byte[] { 0x1f, 0x90 }, NatIds.Key(null, 8080));
        Assert.Equal(new byte[] { 192, 0, 2, 1, 0x1f, 0x90, 0, 0 }, NatIds.Key(IPAddress.Parse("192.0.2.1"), 8080));
        Assert.Equal(20, NatIds.Key(IPAddress.Parse("2001:db8::1"), 80).Length);
        Assert.Equal((IPAddress.Parse("2001:db8::1"), 80), NatIds.ParseKey(NatIds.Key(IPAddress.Parse("2001:db8::1"), 80), v6: true, byHost: true)!.Value);
        Assert.Null(NatIds.ParseKey(new byte[] { 1, 2, 3 }, v6: false, byHost: false));
        // A comment's user data: type 0, a length that counts the NUL, then the text.
        var ud = NftUserdata.ForComment("vnet:publish-tcp-80");
        Assert.Equal(new byte[] { 0, 20 }, ud[..2]);
        Assert.Equal("vnet:publish-tcp-80", NftUserdata.Comment(ud));
    }

    /// <summary>The answer scripted per send: what the kernel would queue for a batch, given the batch's bytes.</summary>
    private sealed class Scripted : INetlinkConnection
    {
        public readonly List<byte[]> Sent = new();
        public Func<byte[], List<byte[]>> Answer = _ => new();
        private readonly Queue<byte[]> _queue = new();
        public int Reserved;
        public uint PortId => 1;
        public void ReserveSend(int bytes) => Reserved = bytes;
        public void Send(ReadOnlySpan<byte> request)
        {
            Sent.Add(request.ToArray());
            foreach (var d in Answer(request.ToArray())) _queue.Enqueue(d);
        }
        public ReadOnlyMemory<byte> Receive() => _queue.Dequeue();
        public bool WaitReadable(int timeoutMs) => _queue.Count > 0;
        public void Dispose() { }
    }

    private static List<(ushort Type, ushort Flags, uint Seq, byte[] Payload)> Split(byte[] datagram) =>
        NetlinkMessage.ParseAll(datagram).Select(m => (m.Type, m.Flags, m.Seq, m.Payload.ToArray())).ToList();

    private static byte[] Error(uint seq, int errno, uint? offset = null, string? text = null)
    {
        var w = new NetlinkWriter(Nl.ERROR, (ushort)(Nl.F_CAPPED | (offset != null || text != null ? Nl.F_ACK_TLVS : 0)));
        var p = w.Reserve(4 + 16);
        BinaryPrimitives.WriteInt32LittleEndian(p, -errno);
        if (text != null) w.AttrString(Nl.ERR_ATTR_MSG, text);
        if (offset != null) w.AttrU32(Nl.ERR_ATTR_OFFS, offset.Value);
        return w.ToArray(seq);
    }

    [Fact]
    public void ABatchIsOneSendFramedByBeginAndEnd()
    {
        var c = new Scripted();
        using var s = new NetlinkSocket(c, seq: 100);
        var batch = new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(80), A10, "vnet:a") })
            .Add("pub_tcp_port", new[] { new NftSetElements.Element(NftSetElements.InetService(80), NftSetElements.InetService(8080)) });
        c.Answer = d => Split(d).Where(m => (m.Flags & Nl.F_ACK) != 0).Select(m => Error(m.Seq, 0)).ToList();
        Assert.Null(s.TryBatch(batch.Messages, Nfnl.SUBSYS_NFTABLES));
        var sent = Assert.Single(c.Sent);
        Assert.Equal(sent.Length, c.Reserved);
        var msgs = Split(sent);
        Assert.Equal(new ushort[] { Nfnl.MSG_BATCH_BEGIN, 0x0a0c, 0x0a0c, Nfnl.MSG_BATCH_END }, msgs.Select(m => m.Type));
        Assert.Equal(new uint[] { 101, 102, 103, 104 }, msgs.Select(m => m.Seq));
        // The markers: AF_UNSPEC, version 0, the nf_tables subsystem in res_id, network order.
        Assert.Equal(new byte[] { 0, 0, 0, 10 }, msgs[0].Payload);
        Assert.Equal(new byte[] { 0, 0, 0, 10 }, msgs[3].Payload);
        Assert.True(s.Settled);
    }

    [Fact]
    public void TheFirstRefusalIsReportedWithoutWaitingForAnswersThatNeverCome()
    {
        var c = new Scripted();
        using var s = new NetlinkSocket(c);
        var batch = new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(80), A10, "vnet:a") })
            .Add("pub_tcp_port", new[] { new NftSetElements.Element(NftSetElements.InetService(80), NftSetElements.InetService(8080)) })
            .Add("pub_udp", new[] { new NftSetElements.Element(NftSetElements.InetService(53), A10, "vnet:b") });
        // After an abort the kernel answers only what it reached: an ACK, then errors, nothing for the rest.
        c.Answer = d =>
        {
            var m = Split(d);
            return new List<byte[]> { Error(m[1].Seq, 0), Error(m[3].Seq, Native.Sys.ENOENT), Error(m[2].Seq, Native.Sys.EEXIST, 40, "element exists") };
        };
        var e = s.TryBatch(batch.Messages, Nfnl.SUBSYS_NFTABLES);
        Assert.Equal(new BatchError(1, Native.Sys.EEXIST, "element exists", 40u), e);
        Assert.True(s.Settled);
        // Batch throws the same, through the errno mapping every netlink refusal takes, with the kernel's words.
        var x = Assert.Throws<VNetException>(() => s.Batch(batch.Messages, Nfnl.SUBSYS_NFTABLES, "add elements", "pub_tcp"));
        Assert.Equal("AlreadyExists", x.ErrorId);
        Assert.Contains("element exists", x.Message);
        // The batch itself refused (no CAP_NET_ADMIN): the error comes on the begin marker.
        c.Answer = d => new List<byte[]> { Error(Split(d)[0].Seq, Native.Sys.EPERM) };
        Assert.Equal(-1, s.TryBatch(batch.Messages, Nfnl.SUBSYS_NFTABLES)!.Message);
        Assert.True(s.Settled);
        // An answer that does not parse leaves the rest queued: the socket is not settled, and not handed on.
        c.Answer = d => new List<byte[]> { new byte[] { 1, 2, 3 }, Error(Split(d)[1].Seq, 0) };
        Assert.Throws<NetlinkParseException>(() => s.TryBatch(batch.Messages, Nfnl.SUBSYS_NFTABLES));
        Assert.False(s.Settled);
    }

    [Fact]
    public void ADumpsCountersCommentsAndData()
    {
        // One NFT_MSG_NEWSETELEM as the kernel dumps it: a lone counter (NFTA_SET_ELEM_EXPR), and
        // one with a list of expressions (NFTA_SET_ELEM_EXPRESSIONS).
        var w = new NetlinkWriter(NftSetElements.Subsys << 8 | NftSetElements.MsgNewSetElem, Nl.F_MULTI);
        w.Reserve(4)[0] = Nftables.FamilyInet;
        w.AttrString(NftSetElements.ListTable, "vnet");
        w.AttrString(NftSetElements.ListSet, "pub_tcp");
        int list = w.BeginNested(NftSetElements.ListElements, true);
        void Elem(int port, bool many, ulong packets, ulong bytes)
        {
            int e = w.BeginNested(NftSetElements.ListElem, true);
            int k = w.BeginNested(NftSetElements.ElemKey, true);
            w.Attr(NftSetElements.DataValue, NftSetElements.InetService(port));
            w.EndNested(k);
            int d = w.BeginNested(NftSetElements.ElemData, true);
            w.Attr(NftSetElements.DataValue, A10);
            w.EndNested(d);
            int x = w.BeginNested(many ? NftSetElements.ElemExpressions : NftSetElements.ElemExpr, true);
            int one = many ? w.BeginNested(NftSetElements.ListElem, true) : -1;
            w.AttrString(1, "counter");
            int cd = w.BeginNested(2, true);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(b, bytes);
            w.Attr(1, b);
            BinaryPrimitives.WriteUInt64BigEndian(b, packets);
            w.Attr(2, b);
            w.EndNested(cd);
            if (many) w.EndNested(one);
            w.EndNested(x);
            w.Attr(NftSetElements.ElemUserdata, NftUserdata.ForComment($"vnet:publish-tcp-{port}"));
            w.EndNested(e);
        }
        Elem(80, false, 3, 180);
        Elem(443, true, 5, 300);
        w.EndNested(list);
        var bytes = w.ToArray(7);
        var entries = NftSetElements.Parse(NetlinkMessage.ParseAll(bytes));
        Assert.Equal(2, entries.Count);
        Assert.Equal(("0050", "vnet:publish-tcp-80", 3L, 180L), (Convert.ToHexString(entries[0].Key), entries[0].Comment, entries[0].Packets, entries[0].Bytes));
        Assert.Equal(A10, entries[0].Data);
        Assert.Equal(("vnet:publish-tcp-443", 5L, 300L), (entries[1].Comment, entries[1].Packets, entries[1].Bytes));
        // The rules Get-NatRule makes of them: one each, counters summed per rule.
        var rules = NatReader.Publishes(false, "tcp", false, entries, null, "ns1");
        Assert.Equal(new[] { "publish-tcp-80", "publish-tcp-443" }, rules.Select(r => r.Id));
        Assert.Equal((5L, 300L), (rules[1].Packets, rules[1].Bytes));

        // An attribute whose length runs past its parent is malformed, never read past.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(ElementOffsets(bytes)[1] + 4), 0x7ff0);
        Assert.Throws<NetlinkParseException>(() => NftSetElements.Parse(NetlinkMessage.ParseAll(bytes)));
    }

    [Fact]
    public void APortRangeIsOneRuleWithItsTargetPorts()
    {
        var host = IPAddress.Parse("192.0.2.1");
        var addrs = Enumerable.Range(9000, 3).Reverse()
            .Select(p => new NftSetElements.Entry(NatIds.Key(host, p), A11, "vnet:publish-udp-192.0.2.1-9000-9002", 1, 10)).ToList();
        var ports = Enumerable.Range(9000, 3).Select(p => new NftSetElements.Entry(NatIds.Key(host, p), NftSetElements.InetService(p - 8900), null, 0, 0)).ToList();
        var r = Assert.Single(NatReader.Publishes(false, "udp", true, addrs, ports, null));
        Assert.Equal(("9000-9002", "100-102", "192.0.2.1", 3L, 30L), (r.PublishPort, r.ToPort, r.HostAddress, r.Packets, r.Bytes));
        Assert.Equal("udp dport 9000-9002 to 192.0.2.1 dnat to 198.51.100.11:100-102 (map @pub_udp_addr)", r.Text);
    }

    [Fact]
    public void HairpinRangesReadBackAsInterfaceAndSubnet()
    {
        // As the kernel dumps `"br0" . 198.51.100.0/24` and `"br0" . 2001:db8:1::/64` (seen live).
        NftSetElements.Entry E(string key, string end) => new(Convert.FromHexString(key), null, null, 0, 0) { KeyEnd = Convert.FromHexString(end) };
        const string br0 = "62723000000000000000000000000000";
        Assert.Equal(("br0", new IPPrefix(IPAddress.Parse("198.51.100.0"), 24)), NatService.HairpinPair(E(br0 + "C6336400", br0 + "C63364FF"), 4));
        Assert.Equal(("br0", new IPPrefix(IPAddress.Parse("2001:db8:1::"), 64)),
            NatService.HairpinPair(E(br0 + "20010DB8000100000000000000000000", br0 + "20010DB800010000FFFFFFFFFFFFFFFF"), 16));
        // A range that is no subnet, another end's interface, or no end at all: not a pair VNet wrote.
        Assert.Null(NatService.HairpinPair(E(br0 + "C6336405", br0 + "C63364FF"), 4));
        Assert.Null(NatService.HairpinPair(E(br0 + "C6336400", "62723100000000000000000000000000C63364FF"), 4));
        Assert.Null(NatService.HairpinPair(new NftSetElements.Entry(Convert.FromHexString(br0 + "C6336400"), null, null, 0, 0), 4));
    }

    /// <summary>The NFTA_LIST_ELEM attributes of a NEWSETELEM message: their offsets from the message's start.</summary>
    private static List<int> ElementOffsets(byte[] msg)
    {
        var result = new List<int>();
        int off = 16 + 4;
        while (off < msg.Length)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(msg.AsSpan(off));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(msg.AsSpan(off + 2)) & 0x3fff;
            if (type == NftSetElements.ListElements)
            {
                for (int e = off + 4; e < off + len;)
                {
                    result.Add(e);
                    e += (BinaryPrimitives.ReadUInt16LittleEndian(msg.AsSpan(e)) + 3) & ~3;
                }
            }
            off += (len + 3) & ~3;
        }
        return result;
    }

    private static List<int> ElementsOf(byte[] msg) => ElementOffsets(msg);
}
