using System.Buffers.Binary;
using VNet.Core.Netlink;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>The netlink message codec: what the writer builds, the parser reads back, and malformed input is an error, never a crash.</summary>
public class CodecTests
{
    private static NetlinkMessage RoundTrip(NetlinkWriter w, uint seq = 7)
    {
        var msgs = NetlinkMessage.ParseAll(w.ToArray(seq));
        return Assert.Single(msgs);
    }

    [Fact]
    public void HeaderFieldsRoundTrip()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE);
        w.Reserve(Ifla.IfInfoMsgLength);
        var m = RoundTrip(w, 42);
        Assert.Equal(Rtm.NEWLINK, m.Type);
        Assert.Equal(Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE, m.Flags);
        Assert.Equal(42u, m.Seq);
        Assert.Equal(Ifla.IfInfoMsgLength, m.Payload.Length);
    }

    [Fact]
    public void TypedAttributesRoundTrip()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST);
        w.Reserve(Ifla.IfInfoMsgLength);
        w.AttrU8(1, 0xab);
        w.AttrU16(2, 0xbeef);
        w.AttrU32(3, 0xdeadbeef);
        w.AttrString(4, "veth0");
        w.AttrBe16(5, 4789);
        w.Attr(6, new byte[] { 198, 51, 100, 7 });
        var a = RoundTrip(w).Attributes(Ifla.IfInfoMsgLength);
        Assert.Equal((byte)0xab, a.U8(1));
        Assert.Equal((ushort)0xbeef, a.U16(2));
        Assert.Equal(0xdeadbeefu, a.U32(3));
        Assert.Equal("veth0", a.String(4));
        Assert.Equal((ushort)4789, a.Be16(5));
        Assert.Equal("198.51.100.7", a.Address(6)!.ToString());
        Assert.Null(a.U32(99));
    }

    [Fact]
    public void EveryAttributeIsFourByteAligned()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST);
        w.AttrString(1, "a");      // 4 + 2 = 6 -> padded to 8
        w.AttrU8(2, 1);            // 4 + 1 = 5 -> padded to 8
        byte[] bytes = w.ToArray(1);
        Assert.Equal(Nl.HeaderLength + 8 + 8, bytes.Length);
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        // The second attribute starts on the 4-byte boundary after the padded first one.
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(Nl.HeaderLength + 8 + 2)));
    }

    [Fact]
    public void NestedAttributesCarryTheirLength()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST);
        int li = w.BeginNested(Ifla.LINKINFO);
        w.AttrString(Ifla.INFO_KIND, "veth");
        int data = w.BeginNested(Ifla.INFO_DATA);
        w.AttrU32(7, 77);
        w.EndNested(data);
        w.EndNested(li);
        w.AttrU32(Ifla.MTU, 1450);
        var a = RoundTrip(w).Attributes(0);
        var info = a.Nested(Ifla.LINKINFO)!;
        Assert.Equal("veth", info.String(Ifla.INFO_KIND));
        Assert.Equal(77u, info.Nested(Ifla.INFO_DATA)!.U32(7));
        Assert.Equal(1450u, a.U32(Ifla.MTU));
    }

    [Fact]
    public void SeveralMessagesInOneDatagram()
    {
        var one = new NetlinkWriter(Rtm.NEWLINK, Nl.F_MULTI);
        one.AttrString(Ifla.IFNAME, "a");
        var two = new NetlinkWriter(Nl.DONE, Nl.F_MULTI);
        two.Reserve(4);
        byte[] datagram = one.ToArray(1).Concat(two.ToArray(1)).ToArray();
        var msgs = NetlinkMessage.ParseAll(datagram);
        Assert.Equal(2, msgs.Count);
        Assert.Equal(Nl.DONE, msgs[1].Type);
    }

    [Fact]
    public void TruncatedHeaderIsAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        byte[] bytes = w.ToArray(1);
        var e = Assert.Throws<NetlinkParseException>(() => NetlinkMessage.ParseAll(bytes.AsMemory(0, 10)));
        Assert.Equal("MalformedNetlinkMessage", e.ErrorId);
    }

    [Fact]
    public void MessageLengthPastTheDatagramIsAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        w.AttrU32(1, 1);
        byte[] bytes = w.ToArray(1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 4096);
        Assert.Throws<NetlinkParseException>(() => NetlinkMessage.ParseAll(bytes));
    }

    [Fact]
    public void MessageLengthShorterThanAHeaderIsAnError()
    {
        byte[] bytes = new NetlinkWriter(Rtm.NEWLINK, 0).ToArray(1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 8);
        Assert.Throws<NetlinkParseException>(() => NetlinkMessage.ParseAll(bytes));
    }

    [Fact]
    public void AttributeLengthPastItsContainerIsAnError()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 64); // claims 64 bytes, only 8 there
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), 3);
        Assert.Throws<NetlinkParseException>(() => AttributeSet.Parse(data));
    }

    [Fact]
    public void AttributeLengthBelowItsHeaderIsAnError()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 2);
        Assert.Throws<NetlinkParseException>(() => AttributeSet.Parse(data));
    }

    [Fact]
    public void TrailingBytesShorterThanAnAttributeAreAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        w.AttrU32(1, 5);
        byte[] attrs = w.ToArray(1).AsSpan(Nl.HeaderLength).ToArray().Concat(new byte[] { 1, 2 }).ToArray();
        Assert.Throws<NetlinkParseException>(() => AttributeSet.Parse(attrs));
    }

    [Fact]
    public void UndersizedTypedValueIsAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        w.AttrU16(Ifla.MTU, 1500); // an MTU must be 4 bytes
        var a = RoundTrip(w).Attributes(0);
        Assert.Throws<NetlinkParseException>(() => a.U32(Ifla.MTU));
    }

    [Fact]
    public void AddressOfOddSizeIsAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWADDR, 0);
        w.Attr(Ifa.ADDRESS, new byte[] { 1, 2, 3 });
        Assert.Throws<NetlinkParseException>(() => RoundTrip(w).Attributes(0).Address(Ifa.ADDRESS));
    }

    [Fact]
    public void FixedHeaderShorterThanExpectedIsAnError()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        w.Reserve(4);
        var m = RoundTrip(w);
        Assert.Throws<NetlinkParseException>(() => m.Fixed(Ifla.IfInfoMsgLength));
    }

    [Fact]
    public void StringWithoutTerminatorIsReadToItsEnd()
    {
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        w.Attr(Ifla.IFNAME, "eth0"u8);
        Assert.Equal("eth0", RoundTrip(w).Attributes(0).String(Ifla.IFNAME));
    }

    /// <summary>Random garbage never crashes the parser: it parses or says MalformedNetlinkMessage.</summary>
    [Fact]
    public void RandomInputNeverCrashes()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 5000; i++)
        {
            var buf = new byte[rng.Next(0, 96)];
            rng.NextBytes(buf);
            if (buf.Length >= 4 && rng.Next(2) == 0) BinaryPrimitives.WriteUInt32LittleEndian(buf, (uint)buf.Length);
            try
            {
                foreach (var m in NetlinkMessage.ParseAll(buf))
                {
                    var a = m.Attributes(0);
                    foreach (var (t, _) in a.All) { a.String(t); a.Bytes(t); }
                }
            }
            catch (NetlinkParseException) { }
        }
    }

    private static NetlinkMessage ErrorMessage(int errno, bool capped, string? extAck, byte[]? echoed = null)
    {
        var w = new NetlinkWriter(Nl.ERROR, (ushort)((capped ? Nl.F_CAPPED : 0) | (extAck != null ? Nl.F_ACK_TLVS : 0)));
        var body = w.Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(body, -errno);
        // The echoed request: its header only when capped, the whole request otherwise.
        byte[] request = echoed ?? new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST).ToArray(9);
        var span = w.Reserve(capped ? Nl.HeaderLength : request.Length);
        request.AsSpan(0, span.Length).CopyTo(span);
        if (extAck != null) w.AttrString(Nl.ERR_ATTR_MSG, extAck);
        return RoundTrip(w);
    }

    [Fact]
    public void ErrorWithExtendedAckCapped()
    {
        var (err, text) = NetlinkSocket.ParseError(ErrorMessage(17, capped: true, "Device already exists"));
        Assert.Equal(17, err);
        Assert.Equal("Device already exists", text);
    }

    [Fact]
    public void ErrorWithExtendedAckAfterAWholeEchoedRequest()
    {
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST);
        req.AttrString(Ifla.IFNAME, "some-long-name");
        var (err, text) = NetlinkSocket.ParseError(ErrorMessage(22, capped: false, "Invalid MTU", req.ToArray(3)));
        Assert.Equal(22, err);
        Assert.Equal("Invalid MTU", text);
    }

    [Fact]
    public void AckIsErrorZeroWithoutText()
    {
        var (err, text) = NetlinkSocket.ParseError(ErrorMessage(0, capped: true, null));
        Assert.Equal(0, err);
        Assert.Null(text);
    }

    [Fact]
    public void ErrorPayloadTooShortIsAnError()
    {
        var w = new NetlinkWriter(Nl.ERROR, 0);
        w.Reserve(2);
        byte[] bytes = w.ToArray(1).AsSpan(0, Nl.HeaderLength + 2).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length); // an error carrying only 2 bytes
        var m = NetlinkMessage.ParseAll(bytes)[0];
        Assert.Throws<NetlinkParseException>(() => NetlinkSocket.ParseError(m));
    }

    [Fact]
    public void KernelErrnoBecomesStableErrorIds()
    {
        Assert.Equal("PermissionDenied", VNetException.FromErrno(1, "x", null).ErrorId);
        Assert.Equal(VNetErrorCategory.PermissionDenied, VNetException.FromErrno(1, "x", null).Category);
        Assert.Contains("CAP_NET_ADMIN", VNetException.FromErrno(1, "create bridge 'b'", "b").Message);
        Assert.Equal(VNetErrorCategory.ResourceExists, VNetException.FromErrno(17, "x", null).Category);
        Assert.Equal(VNetErrorCategory.ObjectNotFound, VNetException.FromErrno(19, "x", null).Category);
        var e = VNetException.FromErrno(22, "set MTU", "eth0", "MTU too large");
        Assert.Equal("KernelRejected", e.ErrorId);
        Assert.Contains("MTU too large", e.Message);
        Assert.Equal("MTU too large", e.KernelMessage);
        Assert.Equal(22, e.Errno);
    }
}
