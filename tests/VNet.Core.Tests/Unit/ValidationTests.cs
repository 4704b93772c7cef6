using System.Net;
using Xunit;

namespace VNet.Core.Tests.Unit;

public class ValidationTests
{
    [Theory]
    [InlineData("eth0")]
    [InlineData("veth1b2c3d4e5f6")] // 15 bytes: the longest allowed
    [InlineData("br-0.1_x")]
    public void GoodLinkNames(string name) => Validation.LinkName(name);

    [Theory]
    [InlineData("veth1b2c3d4e5f67", "LinkNameTooLong")] // 16 bytes
    [InlineData("ééééééé12", "LinkNameTooLong")]          // 9 chars but 16 UTF-8 bytes
    [InlineData("a/b", "InvalidLinkName")]
    [InlineData("a:b", "InvalidLinkName")]
    [InlineData("a b", "InvalidLinkName")]
    [InlineData("tab\tx", "InvalidLinkName")]
    [InlineData(".", "InvalidLinkName")]
    [InlineData("..", "InvalidLinkName")]
    [InlineData("", "InvalidLinkName")]
    public void BadLinkNamesNameTheValue(string name, string errorId)
    {
        var e = Assert.Throws<VNetException>(() => Validation.LinkName(name));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(VNetErrorCategory.InvalidArgument, e.Category);
        Assert.Equal(name, e.Target);
        if (name.Length > 0) Assert.Contains(name.Replace("\t", "\t"), e.Message);
    }

    [Theory]
    [InlineData("ns1")]
    [InlineData("c1.web")]
    [InlineData("a-b_c")]
    public void GoodNamespaceNames(string name) => Validation.NamespaceName(name);

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("x..y")]
    [InlineData(".")]
    [InlineData("has space")]
    [InlineData("")]
    public void BadNamespaceNames(string name)
    {
        var e = Assert.Throws<VNetException>(() => Validation.NamespaceName(name));
        Assert.Equal("InvalidNamespaceName", e.ErrorId);
        Assert.Equal(name, e.Target);
    }

    [Theory]
    [InlineData("198.51.100.1/24", "198.51.100.1", 24)]
    [InlineData("203.0.113.7", "203.0.113.7", 32)]
    [InlineData("2001:db8::1/64", "2001:db8::1", 64)]
    [InlineData(" 192.0.2.0/0 ", "192.0.2.0", 0)]
    public void GoodCidrs(string text, string addr, int prefix)
    {
        var p = Validation.Cidr(text);
        Assert.Equal(IPAddress.Parse(addr), p.Address);
        Assert.Equal(prefix, p.PrefixLength);
    }

    [Theory]
    [InlineData("198.51.100.1/33", "InvalidPrefixLength")]
    [InlineData("2001:db8::1/129", "InvalidPrefixLength")]
    [InlineData("198.51.100.1/-1", "InvalidPrefixLength")]
    [InlineData("198.51.100.1/ab", "InvalidPrefixLength")]
    [InlineData("198.51.100/24", "InvalidCidr")]
    [InlineData("300.1.1.1/24", "InvalidCidr")]
    [InlineData("hello", "InvalidCidr")]
    [InlineData("", "InvalidCidr")]
    [InlineData("fe80::1%eth0/64", "InvalidCidr")]
    public void BadCidrsNameTheValue(string text, string errorId)
    {
        var e = Assert.Throws<VNetException>(() => Validation.Cidr(text));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(text, e.Target);
    }

    [Fact]
    public void PrefixNetworkAndHostBits()
    {
        var p = Validation.Cidr("198.51.100.77/24");
        Assert.Equal(IPAddress.Parse("198.51.100.0"), p.Network());
        Assert.True(p.HasHostBits);
        Assert.False(Validation.Cidr("198.51.100.0/24").HasHostBits);
        Assert.True(p.Contains(IPAddress.Parse("198.51.100.200")));
        Assert.False(p.Contains(IPAddress.Parse("203.0.113.1")));
        Assert.Equal(IPAddress.Parse("2001:db8::"), Validation.Cidr("2001:db8::5/64").Network());
    }

    [Theory]
    [InlineData("02:42:c6:33:64:0a")]
    [InlineData("02-42-C6-33-64-0A")]
    public void GoodMacs(string mac) => Assert.Equal("02:42:c6:33:64:0a", Validation.FormatMac(Validation.MacAddress(mac)));

    [Theory]
    [InlineData("02:42:c6:33:64")]
    [InlineData("02:42:c6:33:64:0a:11")]
    [InlineData("zz:42:c6:33:64:0a")]
    [InlineData("01:00:5e:00:00:01")] // multicast: not for a device
    public void BadMacs(string mac)
    {
        var e = Assert.Throws<VNetException>(() => Validation.MacAddress(mac));
        Assert.Equal("InvalidMacAddress", e.ErrorId);
    }

    [Theory]
    [InlineData(67)]
    [InlineData(65536)]
    [InlineData(0)]
    public void MtuOutOfRange(int mtu)
    {
        var e = Assert.Throws<VNetException>(() => Validation.Mtu(mtu));
        Assert.Equal("InvalidMtu", e.ErrorId);
        Assert.Contains(mtu.ToString(), e.Message);
    }

    [Theory]
    [InlineData("veth0", "veth*", true)]
    [InlineData("veth0", "v?th0", true)]
    [InlineData("eth0", "veth*", false)]
    [InlineData("eth0", "eth0", true)]
    [InlineData("a.b", "a?b", true)]
    [InlineData("axb", "a.b", false)]
    public void Wildcards(string value, string pattern, bool match) => Assert.Equal(match, Wildcard.IsMatch(value, pattern));
}

public class PublishIdTests
{
    [Theory]
    [InlineData("publish-tcp-8080", "tcp", null, 8080, 8080)]
    [InlineData("publish-udp-5000-5010", "udp", null, 5000, 5010)]
    [InlineData("publish-tcp-192.0.2.1-8080", "tcp", "192.0.2.1", 8080, 8080)]
    [InlineData("publish-tcp-192.0.2.1-20000-20999", "tcp", "192.0.2.1", 20000, 20999)]
    public void ParsesWhatAddMakes(string id, string proto, string? host, int from, int to)
    {
        Assert.Equal((proto, host, from, to), VNet.Core.Filter.NatService.ParsePublishId(id));
        Assert.Equal(id, VNet.Core.Filter.NatService.PublishId(proto, host, from, to)); // the two agree
    }

    [Theory]
    [InlineData("masquerade-198.51.100.0/24")]
    [InlineData("publish-sctp-80")]
    [InlineData("publish-tcp-0")]
    [InlineData("publish-tcp-70000")]
    [InlineData("publish-tcp-90-80")]
    [InlineData("publish-tcp-80-90-100")]
    [InlineData("publish-tcp-2001:db8::1-80")]
    [InlineData("publish-tcp-")]
    public void OtherIdsAreNotPublishes(string id) => Assert.Null(VNet.Core.Filter.NatService.ParsePublishId(id));
}

public class DeferredCloseTests
{
    [Fact]
    public void ClosesOnceLaterOrAtOnceWhenItsNamespaceGoes()
    {
        ulong a = 0xdead0001, b = 0xdead0002;
        int closedA = 0, closedB = 0;
        VNet.Core.Filter.DeferredClose.Schedule(a, () => Interlocked.Increment(ref closedA));
        VNet.Core.Filter.DeferredClose.Schedule(b, () => Interlocked.Increment(ref closedB));
        Assert.Equal(0, Volatile.Read(ref closedA)); // not on the caller's path
        VNet.Core.Filter.DeferredClose.Flush(a);      // a's namespace is being removed
        Assert.Equal(1, Volatile.Read(ref closedA));
        for (int i = 0; i < 100 && Volatile.Read(ref closedB) == 0; i++) Thread.Sleep(20);
        Assert.Equal(1, Volatile.Read(ref closedB));  // b closes by itself, later
        Thread.Sleep(400);
        Assert.Equal(1, Volatile.Read(ref closedA));  // and a is not closed a second time
        VNet.Core.Filter.DeferredClose.Flush(b);
        Assert.Equal(1, Volatile.Read(ref closedB));
    }
}
