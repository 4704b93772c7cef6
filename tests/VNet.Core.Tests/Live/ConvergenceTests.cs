using VNet.Core.Links;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>What a kill -9 between two requests leaves is repaired by the same create asked to converge.</summary>
public class ConvergenceTests : LiveTest
{
    [SkippableFact]
    public void AVethWhosePeerStayedDownComesUpWhenCreatedAgainWithReuse()
    {
        string h = Ns("h"), c = Ns("c"), br = L("br", h), v = L("v", h);
        Ctx.Bridges.Create(br, h);
        var spec = new VethSpec { Name = v, Namespace = h, PeerName = "eth0", PeerNamespace = c, Bridge = br };
        Ctx.Veths.Create(spec);
        // The state a kill between the create and the peer's "up" leaves: the container end down.
        Ctx.Links.SetUp("eth0", false, c);
        Assert.False(Ctx.Links.Get("eth0", c).AdminUp);

        var e = Assert.Throws<VNetException>(() => Ctx.Veths.Create(spec));
        Assert.Equal("LinkExists", e.ErrorId);

        spec.ReuseExisting = true;
        var pair = Ctx.Veths.Create(spec);
        Assert.True(Ctx.Links.Get("eth0", c).AdminUp);
        Assert.True(Ctx.Links.Get(v, h).AdminUp);
        Assert.Equal(br, Ctx.Links.Get(v, h).Master);
        Assert.Equal("eth0", pair.PeerName);
        Assert.Equal(c, pair.PeerNamespace);
    }

    [SkippableFact]
    public void ReuseDoesNotAdoptAnotherPairHoldingTheName()
    {
        string h = Ns("h"), c = Ns("c"), d = Ns("d"), v = L("v", h);
        Ctx.Veths.Create(new VethSpec { Name = v, Namespace = h, PeerName = "eth0", PeerNamespace = d });
        var e = Assert.Throws<VNetException>(() => Ctx.Veths.Create(new VethSpec
        {
            Name = v, Namespace = h, PeerName = "eth0", PeerNamespace = c, ReuseExisting = true,
        }));
        Assert.Equal("LinkExists", e.ErrorId);
        Assert.Null(Ctx.Links.TryGet("eth0", c));
    }
}

/// <summary>A call's open namespaces are bounded, whatever the number it touches.</summary>
public class BoundedContextTests : LiveTest
{
    [SkippableFact]
    public void AContextHoldsAtMostItsBoundOfNamespacesOpen()
    {
        var names = Enumerable.Range(0, NetContext.MaxOpenNamespaces + 40).Select(i => $"{P}-b{i}").ToList();
        try
        {
            using var ctx = new NetContext();
            foreach (var n in names) ctx.Namespaces.Create(n);
            Assert.True(ctx.OpenNamespaceCount <= NetContext.MaxOpenNamespaces, $"{ctx.OpenNamespaceCount} open");
            // An evicted namespace is reopened on demand.
            Assert.Equal("lo", ctx.Links.Get("lo", names[0]).Name);
        }
        finally
        {
            foreach (var n in names) Ctx.Namespaces.Remove(n, strict: false);
        }
    }
}

/// <summary>A bridge cut short by a kill (made, not yet up) converges when made again with reuse.</summary>
public class BridgeConvergenceTests : LiveTest
{
    [SkippableFact]
    public void ABridgeThatExistsIsBroughtUpAndReturnedWithReuse()
    {
        string n = Ns("n"), br = L("br", n);
        var first = Ctx.BridgeOperations.Create(br, n, up: false);
        Assert.Equal("LinkExists", Assert.Throws<VNetException>(() => Ctx.BridgeOperations.Create(br, n)).ErrorId);
        var again = Ctx.BridgeOperations.Create(br, n, reuseExisting: true);
        Assert.Equal(first.Index, again.Index);
        Assert.True(Ctx.Links.Get(br, n).AdminUp);
        // Another kind of link under that name is not adopted.
        Ctx.Veths.Create(new Links.VethSpec { Name = L("v", n), Namespace = n, PeerName = L("w", n), PeerNamespace = n });
        Assert.Equal("LinkExists", Assert.Throws<VNetException>(() => Ctx.BridgeOperations.Create(L("v", n), n, reuseExisting: true)).ErrorId);
    }
}
