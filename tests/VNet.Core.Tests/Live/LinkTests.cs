using VNet.Core.Links;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>Links, addresses and routes: changes a user makes with `ip link/addr/route`, and the bad input they get wrong.</summary>
public class LinkTests : LiveTest
{
    [SkippableFact]
    public void SetRenamesChangesMtuMacAndMoves()
    {
        string n = Ns("set"), m = Ns("dst");
        Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n, Mtu = 1400 });
        Assert.Equal(1400, Ctx.Links.Get("a0", n).Mtu);
        var renamed = Ctx.Links.Set("a0", new LinkChange { NewName = "web0", Mtu = 1450, MacAddress = "02:00:c6:33:64:01" }, n);
        Assert.Equal("web0", renamed.Name);
        Assert.True(renamed.AdminUp, "a rename keeps the link up");
        Assert.Contains("web0", Run("ip", "-n", n, "-br", "link").Out);
        Assert.Contains("02:00:c6:33:64:01", Run("ip", "-n", n, "link", "show", "web0").Out);
        Assert.Contains("mtu 1450", Run("ip", "-n", n, "link", "show", "web0").Out);

        Ctx.Links.Set("web0", new LinkChange { Up = false }, n);
        Assert.False(Ctx.Links.Get("web0", n).AdminUp);

        var moved = Ctx.Links.Set("b0", new LinkChange { ToNamespace = m }, n);
        Assert.Equal(m, moved.Namespace);
        Assert.True(moved.AdminUp);
        Assert.Null(Ctx.Links.TryGet("b0", n));
        Assert.Contains("b0", Run("ip", "-n", m, "-br", "link").Out);
    }

    [SkippableFact]
    public void MasterAndNoMaster()
    {
        string n = Ns("mst");
        Ctx.Bridges.Create("br0", n);
        Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n });
        Assert.Equal("br0", Ctx.Links.Set("a0", new LinkChange { Master = "br0" }, n).Master);
        Assert.Contains("master br0", Run("ip", "-n", n, "link", "show", "a0").Out);
        Assert.Null(Ctx.Links.Set("a0", new LinkChange { Master = "" }, n).Master);
    }

    [SkippableFact]
    public void ListFiltersByNameAndKind()
    {
        string n = Ns("lst");
        Ctx.Bridges.Create("br0", n);
        Ctx.Veths.Create(new VethSpec { Name = "va", PeerName = "vb", Namespace = n, PeerNamespace = n });
        Assert.Equal(new[] { "va", "vb" }, Ctx.Links.List(n, "v*").Select(l => l.Name).Order());
        Assert.Equal("br0", Assert.Single(Ctx.Links.List(n, kind: "bridge")).Name);
        Assert.Equal("loopback", Ctx.Links.Get("lo", n).Kind);
        Assert.Empty(Ctx.Links.List(n, "nothing"));
    }

    [SkippableFact]
    public void AddressesAndRoutesLikeIp()
    {
        string n = Ns("ar");
        Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n });
        var a = Ctx.Addresses.Add("a0", "203.0.113.5/24", n);
        Assert.Equal("203.0.113.255", a.Broadcast);
        Ctx.Addresses.Add("a0", "2001:db8::5/64", n);
        string ipAddr = Run("ip", "-n", n, "addr", "show", "a0").Out;
        Assert.Contains("inet 203.0.113.5/24 brd 203.0.113.255", ipAddr);
        Assert.Contains("inet6 2001:db8::5/64", ipAddr);
        Assert.Equal(new[] { "203.0.113.5/24" }, Ctx.Addresses.List(n, "a0", "IPv4").Select(x => x.Cidr));

        Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "203.0.113.1", Namespace = n });
        Ctx.Routes.Add(new RouteSpec { Destination = "198.51.100.0/24", InterfaceName = "a0", Metric = 50, Namespace = n });
        Ctx.Routes.Add(new RouteSpec { Destination = "2001:db8:1::/48", Gateway = "2001:db8::1", Namespace = n });
        string ipRoute = Run("ip", "-n", n, "route").Out;
        Assert.Contains("default via 203.0.113.1 dev a0", ipRoute);
        Assert.Contains("198.51.100.0/24 dev a0", ipRoute);
        Assert.Contains("metric 50", ipRoute);
        Assert.Contains("2001:db8:1::/48 via 2001:db8::1", Run("ip", "-n", n, "-6", "route").Out);
        var onlink = Assert.Single(Ctx.Routes.List(n), r => r.Destination == "198.51.100.0/24");
        Assert.Equal("link", onlink.Scope);
        Assert.Equal(50, onlink.Metric);

        // Duplicates are named, removal is precise and quiet when repeated.
        Assert.Equal("RouteExists", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "203.0.113.1", Namespace = n })).ErrorId);
        Assert.Equal("AddressExists", Assert.Throws<VNetException>(() => Ctx.Addresses.Add("a0", "203.0.113.5/24", n)).ErrorId);
        Assert.True(Ctx.Routes.Remove(new RouteSpec { Destination = "default", Namespace = n }));
        Assert.DoesNotContain("default", Run("ip", "-n", n, "route").Out);
        Assert.False(Ctx.Routes.Remove(new RouteSpec { Destination = "default", Namespace = n }));
        Assert.Equal("RouteNotFound", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Remove(new RouteSpec { Destination = "default", Namespace = n }, strict: true)).ErrorId);
        Assert.True(Ctx.Addresses.Remove("a0", "203.0.113.5/24", n));
        Assert.DoesNotContain("203.0.113.5", Run("ip", "-n", n, "addr").Out);
        Assert.False(Ctx.Addresses.Remove("a0", "203.0.113.5/24", n));
        Assert.Equal("AddressNotFound", Assert.Throws<VNetException>(() => Ctx.Addresses.Remove("a0", "203.0.113.5/24", n, strict: true)).ErrorId);
    }

    [SkippableFact]
    public void RouteErrorsNameTheValueAndCarryTheKernelsWords()
    {
        string n = Ns("re");
        var e = Assert.Throws<VNetException>(() => Ctx.Routes.Add(new RouteSpec { Destination = "198.51.100.0/24", Gateway = "192.0.2.1", Namespace = n }));
        Assert.Equal("GatewayUnreachable", e.ErrorId);
        Assert.Contains("192.0.2.1", e.Message);
        Assert.False(string.IsNullOrEmpty(e.KernelMessage));
        Assert.Equal("RouteDestinationHasHostBits", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Add(new RouteSpec { Destination = "198.51.100.7/24", InterfaceName = "lo", Namespace = n })).ErrorId);
        Assert.Equal("RouteNeedsGatewayOrInterface", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Add(new RouteSpec { Destination = "198.51.100.0/24", Namespace = n })).ErrorId);
        Assert.Equal("AddressFamilyMismatch", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Add(new RouteSpec { Destination = "2001:db8::/32", Gateway = "192.0.2.1", Namespace = n })).ErrorId);
        Assert.Equal("InvalidIPAddress", Assert.Throws<VNetException>(() =>
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "192.0.2", Namespace = n })).ErrorId);
    }

    private string LinksOf(string ns) => Run("ip", "-n", ns, "-br", "link").Out;

    [SkippableFact]
    public void VethIntoMissingNamespaceLeavesNothing()
    {
        string n = Ns("miss");
        string before = LinksOf(n);
        var e = Assert.Throws<VNetException>(() =>
            Ctx.Veths.Create(new VethSpec { Name = "host0", Namespace = n, PeerName = "eth0", PeerNamespace = $"{P}-absent" }));
        Assert.Equal("NamespaceNotFound", e.ErrorId);
        Assert.Contains($"{P}-absent", e.Message);
        Assert.Equal(before, LinksOf(n));
    }

    [SkippableFact]
    public void TakenNamesAreNamedAndNothingIsHalfMade()
    {
        string n = Ns("taken"), m = Ns("other");
        Ctx.Bridges.Create("br0", n);
        Ctx.Bridges.Create("eth0", m);
        string beforeN = LinksOf(n), beforeM = LinksOf(m);

        var e1 = Assert.Throws<VNetException>(() => Ctx.Veths.Create(new VethSpec { Name = "br0", Namespace = n, PeerName = "x0", PeerNamespace = m }));
        Assert.Equal("LinkExists", e1.ErrorId);
        Assert.Equal("br0", e1.Target);
        var e2 = Assert.Throws<VNetException>(() => Ctx.Veths.Create(new VethSpec { Name = "x0", Namespace = n, PeerName = "eth0", PeerNamespace = m }));
        Assert.Equal("LinkExists", e2.ErrorId);
        Assert.Equal("eth0", e2.Target);
        Assert.Contains(m, e2.Message);
        Assert.Equal(VNetErrorCategory.ResourceExists, e2.Category);
        Assert.Equal(beforeN, LinksOf(n));
        Assert.Equal(beforeM, LinksOf(m));
        Assert.Equal("LinkExists", Assert.Throws<VNetException>(() => Ctx.Bridges.Create("br0", n)).ErrorId);
        Assert.Equal("LinkExists", Assert.Throws<VNetException>(() => Ctx.Links.Set("br0", new LinkChange { NewName = "lo" }, n)).ErrorId);
    }

    [SkippableTheory]
    [InlineData("veth1234567890ab", "LinkNameTooLong")]
    [InlineData("bad/name", "InvalidLinkName")]
    [InlineData("bad name", "InvalidLinkName")]
    [InlineData("..", "InvalidLinkName")]
    public void BadNamesAreRefusedBeforeTheKernelSeesThem(string name, string errorId)
    {
        string n = Ns("bn");
        string before = LinksOf(n);
        Assert.Equal(errorId, Assert.Throws<VNetException>(() => Ctx.Bridges.Create(name, n)).ErrorId);
        Assert.Equal(errorId, Assert.Throws<VNetException>(() => Ctx.Veths.Create(new VethSpec { Name = "ok0", Namespace = n, PeerName = name, PeerNamespace = n })).ErrorId);
        Assert.Equal(before, LinksOf(n));
    }

    [SkippableFact]
    public void MtuOutOfRangeAndAboveTheDevicesMaximum()
    {
        string n = Ns("mtu");
        Ctx.Bridges.Create("br0", n);
        Assert.Equal("InvalidMtu", Assert.Throws<VNetException>(() => Ctx.Links.Set("br0", new LinkChange { Mtu = 70000 }, n)).ErrorId);
        Assert.Equal("InvalidMtu", Assert.Throws<VNetException>(() => Ctx.Links.Set("br0", new LinkChange { Mtu = 10 }, n)).ErrorId);
        Assert.Equal(1500, Ctx.Links.Get("br0", n).Mtu);
        Ctx.Links.Set("br0", new LinkChange { Mtu = 9000 }, n);
        Assert.Contains("mtu 9000", Run("ip", "-n", n, "link", "show", "br0").Out);
    }

    [SkippableFact]
    public void BadCidrsAreNamed()
    {
        string n = Ns("cidr");
        foreach (var (bad, id) in new[] { ("198.51.100.1/33", "InvalidPrefixLength"), ("198.51.100/24", "InvalidCidr"), ("not-an-ip", "InvalidCidr") })
        {
            var e = Assert.Throws<VNetException>(() => Ctx.Addresses.Add("lo", bad, n));
            Assert.Equal(id, e.ErrorId);
            Assert.Contains(bad, e.Message);
        }
        Assert.Equal("LinkNotFound", Assert.Throws<VNetException>(() => Ctx.Addresses.Add("nope0", "198.51.100.1/24", n)).ErrorId);
    }

    [SkippableFact]
    public void RemovingLinksIsQuietWhenGoneUnlessStrict()
    {
        string n = Ns("rm");
        Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n });
        Assert.True(Ctx.Links.Remove("a0", n));
        Assert.DoesNotContain("b0", LinksOf(n)); // the peer goes with it
        Assert.False(Ctx.Links.Remove("a0", n));
        var e = Assert.Throws<VNetException>(() => Ctx.Links.Remove("a0", n, strict: true));
        Assert.Equal("LinkNotFound", e.ErrorId);
        Assert.Equal(VNetErrorCategory.ObjectNotFound, e.Category);
    }
}
