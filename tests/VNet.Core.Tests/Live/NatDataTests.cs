using System.Diagnostics;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// VNet's rules as data (issue 13, item 5) and IPv6 NAT (masquerade and publish): hostile names
/// that are valid for the kernel work as names, and IPv6 containers reach out and are reached.
/// </summary>
public class NatDataTests : LiveTest
{
    private readonly List<Process> _servers = new();

    private string Ruleset(string ns) => RunIn(ns, "nft", "list", "ruleset").Out;

    [SkippableFact]
    public void HostileInterfaceNamesAreNamesNotSyntax()
    {
        string h = Ns("h"), o = Ns("o");
        const string quote = "q\"x", brace = "b{;r";
        Ctx.Veths.Create(new VethSpec { Name = quote, Namespace = h, PeerName = "eth0", PeerNamespace = o });
        var m = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", OutInterface = quote, Namespace = h });
        Assert.Equal(quote, Ctx.Nat.List(h).Single(r => r.Id == m.Id).OutInterface);
        Assert.Contains($"oifname \"{quote}\"", Ruleset(h)); // nft prints it back, unescaped
        Assert.Contains(Ctx.Ruleset.List(h, "vnet", "postrouting"), r => r.Rule.Contains(quote) && r.Rule.Contains("vnet:" + m.Id));

        // A bridge whose name holds a brace and a semicolon: isolation, and the hairpin set of a publish behind it.
        Ctx.Bridges.Create(brace, h);
        Ctx.Addresses.Add(brace, "203.0.113.1/24", h);
        Ctx.Nat.SetIsolated(brace, true, h);
        Assert.Equal(new[] { brace }, Ctx.Nat.IsolatedBridges(h));
        var p = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "203.0.113.10", ToPort = "80", Namespace = h });
        Assert.Contains($"\"{brace}\" . 203.0.113.0/24", Ruleset(h));

        Assert.True(Ctx.Nat.Remove(m.Id, h));
        Assert.True(Ctx.Nat.Remove(p.Id, h));
        Ctx.Nat.SetIsolated(brace, false, h);
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    /// <summary>H has an IPv6 uplink to O (2001:db8:1::1, ::2) and a bridge 2001:db8:2::/64 with one container.</summary>
    private (string H, string O, string C) Topology6()
    {
        string h = Ns("h6"), o = Ns("o6"), c = Ns("c6");
        Ctx.Veths.Create(new VethSpec { Name = "up0", Namespace = h, PeerName = "eth0", PeerNamespace = o });
        Ctx.Addresses.Add("up0", "2001:db8:1::1/64", h);
        Ctx.Addresses.Add("eth0", "2001:db8:1::2/64", o);
        Ctx.Bridges.Create("br6", h);
        Ctx.Addresses.Add("br6", "2001:db8:2::1/64", h);
        Ctx.Veths.Create(new VethSpec { Name = "vc6", Namespace = h, PeerName = "eth0", PeerNamespace = c });
        Ctx.Bridges.AddPort("br6", "vc6", h);
        Ctx.Addresses.Add("eth0", "2001:db8:2::10/64", c);
        Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "2001:db8:2::1", Namespace = c });
        // A new bridge's carrier comes up through the kernel's linkwatch (up to a second later), and
        // its IPv6 address stays tentative until then: wait for that, as a user would see with `ip -6 addr`.
        foreach (var ns in new[] { h, c })
            for (int i = 0; i < 60 && RunIn(ns, "ip", "-6", "addr", "show", "tentative").Out.Trim().Length > 0; i++) Thread.Sleep(50);
        return (h, o, c);
    }

    private void Serve6(string ns, int port, string tag)
    {
        var psi = new ProcessStartInfo("socat") { ArgumentList = { $"TCP6-LISTEN:{port},fork,reuseaddr", $"SYSTEM:echo {tag}-saw-$SOCAT_PEERADDR" } };
        _servers.Add(Ctx.Namespaces.StartProcess(ns, psi));
        for (int i = 0; i < 50 && !RunIn(ns, "ss", "-ltn").Out.Contains($":{port} "); i++) Thread.Sleep(50);
    }

    private string Connect6(string ns, string addr, int port)
    {
        var (code, o) = RunIn(ns, "socat", "-T2", "-", $"TCP6:[{addr}]:{port},connect-timeout=2");
        if (code != 0) return "";
        // socat writes the peer in full (2001:0db8:0001:...): compare addresses, not spellings.
        var m = System.Text.RegularExpressions.Regex.Match(o.Trim(), @"^(.*-saw-)\[([0-9a-f:]+)\]$");
        return m.Success ? $"{m.Groups[1].Value}[{System.Net.IPAddress.Parse(m.Groups[2].Value)}]" : o.Trim();
    }

    [SkippableFact]
    public void IPv6MasqueradeShowsTheOutsideTheUplinkAddress()
    {
        var (h, o, c) = Topology6();
        Serve6(o, 7000, "outside");
        var said = new Diagnostics();
        var m = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "2001:db8:2::/64", OutInterface = "up0", Namespace = h }, said);
        Assert.Equal("IPv6", m.AddressFamily);
        Assert.Contains(said.Warnings, w => w.Contains("net.ipv6.conf.all.forwarding")); // it said it turned IPv6 forwarding on
        Assert.True(Ctx.Forwarding.Get(h, "IPv6").Enabled);
        Assert.Equal("outside-saw-[2001:db8:1::1]", Connect6(c, "2001:db8:1::2", 7000));
        Assert.Equal(m.Id, Ctx.Nat.List(h).Single().Id);
        Assert.True(Ctx.Nat.Remove(m.Id, h));
        Assert.DoesNotContain("vnet", Ruleset(h));
        Assert.Equal("", Connect6(c, "2001:db8:1::2", 7000)); // no way back without NAT
    }

    [SkippableFact]
    public void IPv6UnderAnIp6tablesForwardDropGetsItsOwnAcceptsAndTakesThemAway()
    {
        var (h, o, c) = Topology6();
        Assert.Equal(0, RunIn(h, "ip6tables", "-P", "FORWARD", "DROP").Code); // what Docker sets with ip6tables on
        Serve6(o, 7000, "outside");
        var said = new Diagnostics();
        var m = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "2001:db8:2::/64", Namespace = h }, said);
        Assert.Contains(said.Notes, n => n.Contains("br6") && n.Contains("ip6tables"));
        Assert.Contains("vnet:forward:br6", RunIn(h, "ip6tables", "-S", "FORWARD").Out);
        Assert.Equal("outside-saw-[2001:db8:1::1]", Connect6(c, "2001:db8:1::2", 7000));
        Assert.True(Ctx.Nat.Remove(m.Id, h));
        Assert.DoesNotContain("vnet:", RunIn(h, "ip6tables", "-S").Out);
    }

    [SkippableFact]
    public void IPv6PublishedPortAnswersAndLeavesNothingWhenRemoved()
    {
        var (h, o, c) = Topology6();
        Serve6(c, 80, "web");
        var p = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "2001:db8:2::10", ToPort = "80", Namespace = h });
        Assert.Equal("publish6-tcp-10080", p.Id);
        // An IPv4 publish of the same port is another rule, to another container address family.
        var p4 = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        Assert.Equal("publish-tcp-10080", p4.Id);
        Assert.Equal("web-saw-[2001:db8:1::2]", Connect6(o, "2001:db8:1::1", 10080));
        var listed = Ctx.Nat.List(h).Single(r => r.Id == p.Id);
        Assert.Equal(("2001:db8:2::10", "80", "IPv6"), (listed.ToAddress, listed.ToPort, listed.AddressFamily));
        Assert.True(listed.Packets >= 1);
        // Only on one host address, too.
        var ph = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10081", ToAddress = "2001:db8:2::10", ToPort = "80", HostAddress = "2001:db8:1::1", Namespace = h });
        Assert.Equal("publish6-tcp-2001:db8:1::1-10081", ph.Id);
        Assert.Equal("web-saw-[2001:db8:1::2]", Connect6(o, "2001:db8:1::1", 10081));
        Assert.Equal("NatFamilyMismatch", Assert.Throws<VNetException>(() => Ctx.Nat.Add(new NatSpec
            { Kind = "Publish", PublishPort = "10082", ToAddress = "2001:db8:2::10", HostAddress = "203.0.113.1", Namespace = h })).ErrorId);

        Assert.True(Ctx.Nat.Remove(p.Id, h));
        Assert.Equal("", Connect6(o, "2001:db8:1::1", 10080));
        Assert.True(Ctx.Nat.Remove(ph.Id, h));
        Assert.True(Ctx.Nat.Remove(p4.Id, h));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    [SkippableFact]
    public void ManyPublishesCommitTogetherOrNotAtAll()
    {
        string h = Ns("m");
        var specs = Enumerable.Range(0, 50).Select(i => new NatSpec
            { Kind = "Publish", PublishPort = $"{30000 + i}", ToAddress = $"198.51.100.{i + 10}", ToPort = "80", Namespace = h }).ToList();
        var rules = Ctx.Nat.AddMany(specs);
        Assert.Equal(50, Ctx.Nat.List(h).Count);
        Assert.Equal(rules.Select(r => r.Id).Order(), Ctx.Nat.List(h).Select(r => r.Id).Order());
        string before = Ruleset(h);
        // One bad spec in a batch (a port already taken, then a bad address): nothing of the batch lands.
        var bad = Enumerable.Range(0, 5).Select(i => new NatSpec
            { Kind = "Publish", PublishPort = $"{31000 + i}", ToAddress = "198.51.100.5", Namespace = h }).ToList();
        bad.Add(new NatSpec { Kind = "Publish", PublishPort = "30003", ToAddress = "198.51.100.5", Namespace = h });
        Assert.Equal("PublishExists", Assert.Throws<VNetException>(() => Ctx.Nat.AddMany(bad)).ErrorId);
        bad[^1] = new NatSpec { Kind = "Publish", PublishPort = "31000", ToAddress = "198.51.100.6", Namespace = h };
        Assert.Equal("PublishExists", Assert.Throws<VNetException>(() => Ctx.Nat.AddMany(bad)).ErrorId); // within the batch
        bad[^1] = new NatSpec { Kind = "Publish", PublishPort = "31009", ToAddress = "198.51.100", Namespace = h };
        Assert.Equal("InvalidIPAddress", Assert.Throws<VNetException>(() => Ctx.Nat.AddMany(bad)).ErrorId);
        Assert.Equal(before, Ruleset(h));
        foreach (var r in rules) Assert.True(Ctx.Nat.Remove(r.Id, h));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    public override void Dispose()
    {
        foreach (var s in _servers) { try { s.Kill(); } catch (InvalidOperationException) { } }
        base.Dispose();
    }
}
