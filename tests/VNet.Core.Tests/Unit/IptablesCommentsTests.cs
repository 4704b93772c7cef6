using System.Text;
using VNet.Core.Filter;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// A rule's comment as newer iptables-nft and nft keep it: in the rule's userdata, a list of
/// (type, length, value) entries where type 0 is the comment. (The xt "comment" match that
/// iptables 1.8.9 makes is covered live by NatTests, through the FORWARD accepts.)
/// </summary>
public class IptablesCommentsTests
{
    private static byte[] Tlv(byte type, string value)
    {
        var v = Encoding.UTF8.GetBytes(value + "\0");
        return new[] { type, (byte)v.Length }.Concat(v).ToArray();
    }

    [Fact]
    public void TheCommentIsFoundAmongOtherEntries()
    {
        var udata = Tlv(5, "ebtables").Concat(Tlv(0, "vnet:forward:br0")).ToArray();
        Assert.Equal("vnet:forward:br0", NftUserdata.Comment(udata));
    }

    [Fact]
    public void NoCommentOrATruncatedEntryIsNone()
    {
        Assert.Null(NftUserdata.Comment(Tlv(5, "x")));
        Assert.Null(NftUserdata.Comment(new byte[] { 0, 200, (byte)'v' }));
        Assert.Null(NftUserdata.Comment(ReadOnlySpan<byte>.Empty));
    }
}
