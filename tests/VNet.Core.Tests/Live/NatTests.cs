using System.Diagnostics;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// S3, S4, S5, S9. Each test makes its own "host" namespace H with bridges, containers behind them,
/// and an "outside" namespace O reached over an uplink (H 203.0.113.1, O 203.0.113.2).
/// </summary>
public class NatTests : LiveTest
{
    private readonly List<Process> _servers = new();

    private (string H, string O) Host()
    {
        string h = Ns("h"), o = Ns("o");
        Ctx.Veths.Create(new VethSpec { Name = "up0", Namespace = h, PeerName = "eth0", PeerNamespace = o });
        Ctx.Addresses.Add("up0", "203.0.113.1/24", h);
        Ctx.Addresses.Add("eth0", "203.0.113.2/24", o);
        return (h, o);
    }

    /// <summary>A bridge in H with containers; returns the container namespaces.</summary>
    private string[] Bridge(string h, string br, string net, params string[] names) => Bridge(h, br, net, true, names);

    private string[] Bridge(string h, string br, string net, bool create, params string[] names)
    {
        if (create) Ctx.BridgeOperations.Create(br, h);
        Ctx.Addresses.Add(br, $"{net}.1/24", h);
        int i = 10;
        return names.Select(n =>
        {
            string c = Ns(n);
            Ctx.Veths.Create(new VethSpec { Name = "v" + n, Namespace = h, PeerName = "eth0", PeerNamespace = c });
            Ctx.Bridges.AddPort(br, "v" + n, h);
            Ctx.Addresses.Add("eth0", $"{net}.{i++}/24", c);
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = $"{net}.1", Namespace = c });
            return c;
        }).ToArray();
    }

    /// <summary>A TCP server that answers each connection with the address it saw the client come from.</summary>
    private void Serve(string ns, int port, string tag)
    {
        var psi = new ProcessStartInfo("socat") { ArgumentList = { $"TCP-LISTEN:{port},fork,reuseaddr", $"SYSTEM:echo {tag}-saw-$SOCAT_PEERADDR" } };
        _servers.Add(Ctx.Namespaces.StartProcess(ns, psi));
        for (int i = 0; i < 50 && !RunIn(ns, "ss", "-ltn").Out.Contains($":{port} "); i++) Thread.Sleep(50);
    }

    private string Connect(string ns, string addr, int port)
    {
        var (code, o) = RunIn(ns, "socat", "-T2", "-", $"TCP:{addr}:{port},connect-timeout=2");
        return code == 0 ? o.Trim() : "";
    }

    private string Ruleset(string ns) => RunIn(ns, "nft", "list", "ruleset").Out;

    [SkippableFact]
    public void S3_MasqueradeReachesTheOutsideAsTheUplinkAddress()
    {
        var (h, o) = Host();
        var c = Bridge(h, "br0", "198.51.100", "s3c1");
        Serve(o, 7000, "outside");
        Assert.Equal("", Connect(c[0], "203.0.113.2", 7000)); // no way back without NAT

        var said = new Diagnostics();
        var rule = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = h }, said);
        Assert.Equal("masquerade-198.51.100.0/24", rule.Id);
        Assert.Contains(said.Warnings, w => w.Contains("ip_forward")); // it said it turned forwarding on
        Assert.True(Ping(c[0], "203.0.113.2"));
        Assert.Equal("outside-saw-203.0.113.1", Connect(c[0], "203.0.113.2", 7000));
        Assert.Contains("vnet:masquerade-198.51.100.0/24", Ruleset(h));

        // conntrack shows the translation: original from the container, reply to the uplink address.
        var ct = Ctx.Conntrack.List(h, destination: "203.0.113.2").Where(e => e.Protocol == "tcp").ToList();
        Assert.Contains(ct, e => e.Source == "198.51.100.10" && e.ReplyDestination == "203.0.113.1" && e.SourceNat);

        Assert.True(Ctx.Nat.Remove(rule.Id, h));
        Assert.Equal("", Connect(c[0], "203.0.113.2", 7000));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    [SkippableFact]
    public void S4_PublishedPortAnswersFromOutsideHostAndNeighbour()
    {
        var (h, o) = Host();
        var c = Bridge(h, "br0", "198.51.100", "web", "nb");
        Serve(c[0], 80, "web");
        var pub = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        Assert.Equal("publish-tcp-10080", pub.Id);

        Assert.Equal("web-saw-203.0.113.2", Connect(o, "203.0.113.1", 10080));       // from outside (PREROUTING)
        Assert.StartsWith("web-saw-", Connect(h, "203.0.113.1", 10080));             // from the host itself (OUTPUT)
        Assert.Equal("web-saw-198.51.100.1", Connect(c[1], "203.0.113.1", 10080));   // from a neighbour (hairpin)
        Assert.True(Ctx.Nat.List(h).Single(r => r.Id == pub.Id).Packets >= 3);

        Assert.True(Ctx.Nat.Remove(pub.Id, h));
        Assert.Equal("", Connect(o, "203.0.113.1", 10080));
        Assert.Equal("", Connect(h, "203.0.113.1", 10080));
        Assert.Equal("", Connect(c[1], "203.0.113.1", 10080));
        Assert.DoesNotContain("10080", Ruleset(h));
        Assert.False(Ctx.Nat.Remove(pub.Id, h));
        Assert.Equal("NatRuleNotFound", Assert.Throws<VNetException>(() => Ctx.Nat.Remove(pub.Id, h, strict: true)).ErrorId);
    }

    [SkippableFact]
    public void RemovingOneRuleLeavesTheOthers()
    {
        var (h, o) = Host();
        var c = Bridge(h, "br0", "198.51.100", "two");
        Serve(c[0], 80, "web");
        var masq = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = h });
        var p1 = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        var p2 = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10081", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        Ctx.Nat.Remove(p1.Id, h);
        Assert.Equal(new[] { masq.Id, p2.Id }.Order(), Ctx.Nat.List(h).Select(r => r.Id).Order());
        Assert.Equal("web-saw-203.0.113.2", Connect(o, "203.0.113.1", 10081));
        Assert.Equal("", Connect(o, "203.0.113.1", 10080));
    }

    [SkippableFact]
    public void RemovingAnIdThatSpansOtherRulesRemovesNothing()
    {
        // Removal checks the range's ends carry the rule's own id: "8000-8009" is not the two publishes
        // 8000-8004 and 8005-8009, though it covers them.
        var (h, o) = Host();
        var c = Bridge(h, "br0", "198.51.100", "span", "nb");
        Serve(c[0], 80, "web");
        var a = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8000-8004", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        var b = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8005-8009", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        string before = Ruleset(h);
        Assert.False(Ctx.Nat.Remove("publish-tcp-8000-8009", h));
        Assert.Equal("NatRuleNotFound", Assert.Throws<VNetException>(() => Ctx.Nat.Remove("publish-tcp-8000-8009", h, strict: true)).ErrorId);
        Assert.False(Ctx.Nat.Remove("publish-udp-8000-8004", h));
        Assert.Equal(before, Ruleset(h));
        // Removing one of them leaves the other answering, from outside and from its neighbour (hairpin).
        Assert.True(Ctx.Nat.Remove(a.Id, h));
        Assert.Equal(new[] { b.Id }, Ctx.Nat.List(h).Select(r => r.Id));
        Assert.Equal("", Connect(o, "203.0.113.1", 8002));
        Assert.Equal("web-saw-203.0.113.2", Connect(o, "203.0.113.1", 8007));
        Assert.Equal("web-saw-198.51.100.1", Connect(c[1], "203.0.113.1", 8007));
        Assert.True(Ctx.Nat.Remove(b.Id, h));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    private static readonly string DockerRules = string.Join("\n",
        "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":DOCKER - [0:0]",
        "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER", "-A POSTROUTING -s 192.0.2.128/25 ! -o docker0 -j MASQUERADE", "COMMIT",
        "*filter", ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]", ":DOCKER - [0:0]",
        ":DOCKER-ISOLATION-STAGE-1 - [0:0]", ":DOCKER-ISOLATION-STAGE-2 - [0:0]", ":DOCKER-USER - [0:0]",
        "-A FORWARD -j DOCKER-USER", "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
        "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-A FORWARD -o docker0 -j DOCKER",
        "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT", "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
        "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2", "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
        "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP", "-A DOCKER-ISOLATION-STAGE-2 -j RETURN", "-A DOCKER-USER -j RETURN", "COMMIT", "");

    private string IptablesSave(string ns) =>
        string.Join("\n", RunIn(ns, "iptables-save").Out.Split('\n').Where(l => !l.StartsWith('#')).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\[\d+:\d+\]", "")));

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void S5_IsolatedBridgesDoNotTalkButReachTheOutside(bool withDockerRules)
    {
        var (h, o) = Host();
        string? before = null;
        if (withDockerRules)
        {
            var psi = new ProcessStartInfo("iptables-restore") { RedirectStandardInput = true, RedirectStandardError = true };
            using (var p = Ctx.Namespaces.StartProcess(h, psi)) { p.StandardInput.Write(DockerRules); p.StandardInput.Close(); p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
            before = IptablesSave(h);
        }
        var a = Bridge(h, "br-a", "198.51.100", "a1", "a2");
        var b = Bridge(h, "br-b", "203.0.113", "b1");
        // The uplink and br-b cannot share 203.0.113.0/24: move the uplink to 192.0.2.0/24.
        Ctx.Addresses.Remove("up0", "203.0.113.1/24", h);
        Ctx.Addresses.Remove("eth0", "203.0.113.2/24", o);
        Ctx.Addresses.Add("up0", "192.0.2.1/24", h);
        Ctx.Addresses.Add("eth0", "192.0.2.2/24", o);

        if (withDockerRules)
        {
            // Under Docker's FORWARD DROP a VNet bridge switches between its own ports from the start
            // (bridged frames pass FORWARD through br_netfilter), before any NAT or isolation.
            Assert.Contains("vnet:switch:br-a", RunIn(h, "iptables", "-S", "DOCKER-USER").Out);
            Assert.True(Ping(a[0], "198.51.100.11"), "same bridge talks under FORWARD DROP");
        }
        var said = new Diagnostics(); // what -Verbose would say
        Ctx.Nat.SetIsolated("br-a", true, h, said);
        var notes = said.Notes;
        Ctx.Nat.SetIsolated("br-b", true, h);
        var m1 = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = h });
        var m2 = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "203.0.113.0/24", Namespace = h });
        if (withDockerRules)
        {
            Assert.Contains(notes, n => n.Contains("DOCKER-USER") && n.Contains("br-a"));
            Assert.Contains("vnet:forward:br-a", RunIn(h, "iptables", "-S", "DOCKER-USER").Out);
        }

        Assert.True(Ping(a[0], "198.51.100.11"), "same bridge talks");
        Assert.True(Ping(a[0], "192.0.2.2"), "bridge a reaches the outside");
        Assert.True(Ping(b[0], "192.0.2.2"), "bridge b reaches the outside");
        Assert.False(Ping(a[0], "203.0.113.10"), "a cannot reach b");
        Assert.False(Ping(b[0], "198.51.100.10"), "b cannot reach a");
        Assert.Equal(new[] { "br-a", "br-b" }, Ctx.Nat.IsolatedBridges(h).Order());

        // Un-isolating one lifts it; removing everything leaves the ruleset as before VNet came.
        Ctx.Nat.SetIsolated("br-b", false, h);
        Assert.True(Ping(a[0], "203.0.113.10"), "a reaches b once b is no longer isolated");
        Ctx.Nat.SetIsolated("br-a", false, h);
        Ctx.Nat.Remove(m1.Id, h);
        Ctx.Nat.Remove(m2.Id, h);
        Assert.DoesNotContain("table inet vnet", Ruleset(h));
        // ... and with the bridges removed too, Docker's rules are exactly as Docker left them.
        Assert.True(Ctx.BridgeOperations.RemoveLink("br-a", h));
        Assert.True(Ctx.BridgeOperations.RemoveLink("br-b", h));
        if (withDockerRules) Assert.Equal(before, IptablesSave(h));
    }

    [SkippableFact]
    public void ABridgeSwitchesUnderAForwardDropPolicyAndItsAcceptLeavesWithIt()
    {
        var (h, _) = Host();
        // Without a DROP policy VNet adds nothing to iptables.
        Bridge(h, "br0", "198.51.100", "s1", "s2");
        Assert.DoesNotContain("vnet:", RunIn(h, "iptables", "-S").Out);
        // Under one (br_netfilter passes bridged frames through FORWARD), a new bridge brings the accept
        // that lets it switch, at the top of FORWARD where there is no DOCKER-USER.
        Assert.Equal(0, RunIn(h, "iptables", "-P", "FORWARD", "DROP").Code);
        var said = new Diagnostics();
        Ctx.BridgeOperations.Create("br1", h, diagnostics: said);
        Assert.Contains(said.Notes, n => n.Contains("br1") && n.Contains("FORWARD"));
        var d = Bridge(h, "br1", "192.0.2", false, "s3", "s4");
        Assert.Contains("-A FORWARD -i br1 -o br1", RunIn(h, "iptables", "-S", "FORWARD").Out);
        Assert.True(Ping(d[0], "192.0.2.11"), "containers on one bridge talk under FORWARD DROP");
        Assert.True(Ctx.BridgeOperations.RemoveLink("br1", h));
        Assert.DoesNotContain("vnet:", RunIn(h, "iptables", "-S").Out);
    }

    [SkippableFact]
    public void ARemovedIsolatedBridgeLeavesNoIsolationBehind()
    {
        var (h, _) = Host();
        Bridge(h, "br-x", "198.51.100", "iso");
        Ctx.Nat.SetIsolated("br-x", true, h);
        Assert.Contains("br-x", Ctx.Nat.IsolatedBridges(h));
        Ctx.BridgeOperations.RemoveLink("br-x", h);
        Ctx.Nat.PruneIsolated(h);
        Assert.DoesNotContain("table inet vnet", Ruleset(h));
        Ctx.BridgeOperations.Create("br-x", h); // a new bridge of that name starts out not isolated
        Assert.Empty(Ctx.Nat.IsolatedBridges(h));
    }

    [SkippableFact]
    public void S9_TracedPingShowsTheChainsInOrderWithVerdicts()
    {
        var (h, o) = Host();
        var c = Bridge(h, "br0", "198.51.100", "tr");
        var m = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = h });
        var steps = Ctx.Trace.Trace(new TraceSpec { Namespace = h, Protocol = "icmp", Source = "198.51.100.10", Destination = "203.0.113.2", SendFrom = c[0] });
        Assert.NotEmpty(steps);
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Step));
        // The forward chain accepted it (policy), then VNet's masquerade rule matched in postrouting.
        int fwd = steps.FindIndex(s => s.Chain == "forward" && s.Verdict.StartsWith("accept"));
        int post = steps.FindIndex(s => s.Chain == "postrouting" && s.Rule != null && s.Rule.Contains("vnet:masquerade"));
        Assert.True(fwd >= 0, string.Join("\n", steps));
        Assert.True(post > fwd, string.Join("\n", steps));
        Assert.DoesNotContain("vnet-trace", Ruleset(h)); // the marking table is gone
        Ctx.Nat.Remove(m.Id, h);
    }

    [SkippableFact]
    public void AnInterruptedTraceLeavesNoTraceRuleBehind()
    {
        var (h, _) = Host();
        using var cancel = new CancellationTokenSource();
        var trace = Task.Run(() => Ctx.Trace.Trace(new TraceSpec { Namespace = h, Destination = "203.0.113.2", TimeoutMs = 60_000 }, cancel.Token));
        // Wait until the marking table is in place, then interrupt (what Ctrl+C does to Trace-NetPacket).
        using (var probe = new NetContext())
            for (int i = 0; i < 100 && !probe.Ruleset.List(h).Any(r => r.Table == TraceService.Table); i++) Thread.Sleep(20);
        cancel.Cancel();
        Assert.True(trace.Wait(5000), "the trace stopped soon after being interrupted");
        Assert.DoesNotContain("vnet-trace", Ruleset(h));
    }

    [SkippableFact]
    public void AThousandPublishesInOneTransactionAndOut()
    {
        var (h, _) = Host();
        Bridge(h, "br0", "198.51.100", "many");
        var r = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "20000-20999", ToAddress = "198.51.100.10", ToPort = "20000-20999", Namespace = h });
        Assert.Equal("20000-20999", r.PublishPort);
        string rules = Ruleset(h);
        Assert.Contains("20999", rules);
        Assert.Equal(1000, System.Text.RegularExpressions.Regex.Matches(rules, "vnet:publish-tcp-20000-20999").Count);
        Assert.True(Ctx.Nat.Remove(r.Id, h));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    [SkippableFact]
    public void BadInputLeavesTheRulesetAsItWas()
    {
        var (h, _) = Host();
        Bridge(h, "br0", "198.51.100", "bad");
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "198.51.100.10", Namespace = h });
        string before = Ruleset(h);
        void Bad(string id, NatSpec spec, string? named = null)
        {
            spec.Namespace = h;
            var e = Assert.Throws<VNetException>(() => Ctx.Nat.Add(spec));
            Assert.Equal(id, e.ErrorId);
            if (named != null) Assert.Contains(named, e.Message);
            Assert.Equal(before, Ruleset(h));
        }
        Bad("InvalidPort", new NatSpec { Kind = "Publish", PublishPort = "0", ToAddress = "198.51.100.10" });
        Bad("InvalidPort", new NatSpec { Kind = "Publish", PublishPort = "65536", ToAddress = "198.51.100.10" }, "65536");
        Bad("InvalidPortRange", new NatSpec { Kind = "Publish", PublishPort = "9000-8000", ToAddress = "198.51.100.10" }, "9000-8000");
        Bad("InvalidProtocol", new NatSpec { Kind = "Publish", PublishPort = "80", Protocol = "sctp", ToAddress = "198.51.100.10" }, "sctp");
        Bad("InvalidIPAddress", new NatSpec { Kind = "Publish", PublishPort = "80", ToAddress = "198.51.100" }, "198.51.100");
        Bad("PublishExists", new NatSpec { Kind = "Publish", PublishPort = "10070-10090", ToAddress = "198.51.100.11" }, "10080");
        Bad("PortRangeMismatch", new NatSpec { Kind = "Publish", PublishPort = "8000-8010", ToPort = "80-81", ToAddress = "198.51.100.10" });
        Bad("LinkNotFound", new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", OutInterface = "nope0" }, "nope0");
        Bad("InvalidPrefixLength", new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/xx" }, "198.51.100.0/xx");
        Bad("InvalidCidr", new NatSpec { Kind = "Masquerade", Source = "not-a-net" }, "not-a-net");
        // Host bits are normalised, and the user is told.
        var said = new Diagnostics();
        var r = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.7/24", Namespace = h }, said);
        Assert.Equal("198.51.100.0/24", r.Source);
        Assert.Contains(said.Warnings, w => w.Contains("198.51.100.7/24"));
    }

    public override void Dispose()
    {
        foreach (var s in _servers) { try { s.Kill(); } catch (InvalidOperationException) { } }
        base.Dispose();
    }
}
