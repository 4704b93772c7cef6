using System.Buffers.Binary;
using VNet.Core.Filter;
using VNet.Core.Netlink;
using VNet.Fuzz;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// What afl-fuzz found, one test per fixed parser bug, written as the message that shows it (the
/// minimised inputs themselves are in tests/fuzz-corpus/crashers and run in FuzzCorpusTests).
/// </summary>
public class FuzzFindingsTests
{
    private static byte[] Message(ushort type, ushort flags, byte[] payload)
    {
        var d = new byte[Nl.HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)d.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(6), flags);
        payload.CopyTo(d, Nl.HeaderLength);
        return d;
    }

    [Fact]
    public void AnErrorWhoseEchoedLengthWrapsKeepsItsErrno()
    {
        // NLMSG_ERROR, EEXIST, with extended-ACK TLVs flagged and an echoed request length of
        // 0xfffffffc: aligned as an int it wrapped negative and sliced before the payload.
        var payload = new byte[4 + Nl.HeaderLength];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -17);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 0xfffffffc);
        var m = Assert.Single(NetlinkMessage.ParseAll(Message(Nl.ERROR, Nl.F_ACK_TLVS, payload)));
        Assert.Equal((17, (string?)null), NetlinkSocket.ParseError(m));
    }

    [Fact]
    public void ATraceEventWithoutItsHeaderIsMalformed()
    {
        // NFT_MSG_TRACE with an empty payload: the family byte was read without a length check.
        var m = Assert.Single(NetlinkMessage.ParseAll(Message((10 << 8) | 17, 0, Array.Empty<byte>())));
        Assert.Throws<NetlinkParseException>(() => TraceService.ParseEvent(m, 1,
            new Dictionary<(string, string, string, long), string>(), new Dictionary<int, string>()));
    }

    [Fact]
    public void ALinkThatIsItsOwnMasterIsReadOnce()
    {
        // Every request answered with link 5 "x0" whose IFLA_MASTER is 5: naming the master asked
        // for the master's master, and so on until the stack overflowed (it killed afl's target).
        var w = new NetlinkWriter(Rtm.NEWLINK, 0);
        BinaryPrimitives.WriteInt32LittleEndian(w.Reserve(Ifla.IfInfoMsgLength).Slice(4), 5);
        w.AttrString(Ifla.IFNAME, "x0");
        w.AttrU32(Ifla.MASTER, 5);
        var kernel = new FuzzConnection { Input = w.ToArray(0) };
        using var ctx = new NetContext { Connections = _ => kernel };
        var link = ctx.Links.Get("x0");
        Assert.Equal(("x0", "x0", 5), (link.Name, link.Master, link.MasterIndex));
    }

    [Fact]
    public void RulesetNumbersPastALongAreNotRead()
    {
        // long.Parse threw OverflowException on such digits in the text reader; the JSON reader
        // leaves a count it cannot hold out and skips a rule whose handle it cannot name.
        const string json = """
            {"nftables":[{"chain":{"family":"ip","table":"t","name":"c","handle":1}},
            {"rule":{"family":"ip","table":"t","chain":"c","handle":2,"expr":[{"counter":{"packets":99999999999999999999,"bytes":1}},{"accept":null}]}},
            {"rule":{"family":"ip","table":"t","chain":"c","handle":99999999999999999999,"expr":[{"drop":null}]}},
            {"rule":{"family":"ip","table":"t","chain":"c","expr":"not a list"}}]}
            """;
        var r = Assert.Single(RulesetService.ParseJson(json));
        Assert.Equal((2L, (long?)null, (long?)1), (r.Handle, r.Packets, r.Bytes));
        Assert.Empty(RulesetService.ParseJson("table ip t { chain c { drop # handle 3"));
    }
}
