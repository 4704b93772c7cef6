using VNet.Core.Links;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>S2: a bridge as a switch; S6: which veth is whose.</summary>
public class BridgeTests : LiveTest
{
    private (string Bridge, string C1, string C2) BuildS2(string bridgeIp = "198.51.100.1/24")
    {
        string br = L("br");
        // As New-NetBridge makes it: able to switch even under a FORWARD policy of DROP another test left.
        Ctx.BridgeOperations.Create(br);
        Ctx.Addresses.Add(br, bridgeIp);
        string c1 = Ns("c1"), c2 = Ns("c2");
        int i = 10;
        foreach (var c in new[] { c1, c2 })
        {
            // Silent containers: no IPv6 solicitations to teach the bridge their MACs before the test pings.
            RunIn(c, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            string host = L(c[^2..]);
            Ctx.Veths.Create(new VethSpec { Name = host, PeerName = "eth0", PeerNamespace = c });
            Ctx.Bridges.AddPort(br, host);
            Ctx.Addresses.Add("eth0", $"198.51.100.{i++}/24", c);
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "198.51.100.1", Namespace = c });
        }
        return (br, c1, c2);
    }

    [SkippableFact]
    public void S2_BridgeSwitchesBetweenContainers()
    {
        var (br, c1, c2) = BuildS2();
        var ports = Ctx.Bridges.ListPorts(br);
        Assert.Equal(2, ports.Count);
        Assert.All(ports, p => Assert.Equal(br, p.Bridge));
        Assert.Contains($"master {br}", Run("ip", "-o", "link", "show", L("c1")).Out);

        string mac2 = Ctx.Links.Get("eth0", c2).MacAddress!;
        bool LearnedC2() => Ctx.Fdb.List(null, br).Any(e => e.IsLearned && e.MacAddress == mac2);
        Assert.False(LearnedC2(), "c2's MAC is not learned before it sends anything");

        Assert.True(Ping(c1, "198.51.100.11"), "c1 pings c2 through the bridge");
        Assert.True(Ping(c1, "198.51.100.1"), "c1 pings the bridge address");
        Assert.True(Ping(c2, "198.51.100.10"), "c2 pings c1");
        Assert.True(LearnedC2(), "after the ping the bridge learned c2's MAC behind its port");
        var entry = Ctx.Fdb.List(null, br).First(e => e.MacAddress == mac2 && e.IsLearned);
        Assert.Equal(L("c2"), entry.InterfaceName);
        Assert.Equal(br, entry.Bridge);
        // The same as `bridge fdb show` says.
        Assert.Contains(mac2, Run("bridge", "fdb", "show", "br", br).Out);
    }

    [SkippableFact]
    public void TheBridgeKeepsItsMacWhenPortsComeAndGo()
    {
        var (br, _, _) = BuildS2();
        string mac = Ctx.Links.Get(br).MacAddress!;
        Assert.Equal(0x02, Convert.ToByte(mac[..2], 16) & 0x03); // locally administered, unicast
        Assert.DoesNotContain(Ctx.Bridges.ListPorts(br), p => p.MacAddress == mac);
        Ctx.Bridges.RemovePort(br, L("c1"));
        Assert.Equal(mac, Ctx.Links.Get(br).MacAddress); // the gateway's MAC does not move under the neighbours
    }

    [SkippableFact]
    public void RemovingAPortStopsItsTraffic()
    {
        var (br, c1, _) = BuildS2();
        Assert.True(Ping(c1, "198.51.100.11"));
        Assert.True(Ctx.Bridges.RemovePort(br, L("c2")));
        Assert.Single(Ctx.Bridges.ListPorts(br));
        Assert.False(Ping(c1, "198.51.100.11"));
        Assert.False(Ctx.Bridges.RemovePort(br, L("c2")));
        Assert.Equal("BridgePortNotFound", Assert.Throws<VNetException>(() => Ctx.Bridges.RemovePort(br, L("c2"), strict: true)).ErrorId);
    }

    [SkippableFact]
    public void S6_VethPeersResolvedFromBothSides()
    {
        var (br, c1, c2) = BuildS2();
        using var sleeper = Ctx.Namespaces.StartProcess(c1, new System.Diagnostics.ProcessStartInfo("sleep", "30"));
        try
        {
            var pairs = Ctx.Veths.List();
            var p1 = Assert.Single(pairs, p => p.Name == L("c1"));
            Assert.Equal("eth0", p1.PeerName);
            Assert.Equal(c1, p1.PeerNamespace);
            Assert.Equal(Ctx.Links.Get("eth0", c1).Index, p1.PeerIndex);
            Assert.Contains(p1.PeerProcesses, p => p.ProcessId == sleeper.Id);
            Assert.Equal(br, p1.Master);
            var p2 = Assert.Single(pairs, p => p.Name == L("c2"));
            Assert.Equal(c2, p2.PeerNamespace);
            Assert.DoesNotContain(p2.PeerProcesses, p => p.ProcessId == sleeper.Id);

            // From inside: the peer is in the caller's namespace (written null), with its name and index.
            var inside = Assert.Single(Ctx.Veths.List(c1));
            Assert.Equal("eth0", inside.Name);
            Assert.Equal(L("c1"), inside.PeerName);
            Assert.Null(inside.PeerNamespace);
            Assert.True(inside.PeerResolved);
            Assert.Equal(Ctx.Links.Get(L("c1")).Index, inside.PeerIndex);
            Assert.Contains(inside.Processes, p => p.ProcessId == sleeper.Id);

            // By process id, as for a container's main process.
            var byPid = Assert.Single(Ctx.Veths.List($"/proc/{sleeper.Id}/ns/net"));
            Assert.Equal(L("c1"), byPid.PeerName);

            // `ip` agrees: the container end is eth0@ifN where N is the host end's index.
            Assert.Contains($"eth0@if{Ctx.Links.Get(L("c1")).Index}", Run("ip", "-n", c1, "-br", "link").Out);
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [SkippableFact]
    public void AVethMadeOnABridgeSwitchesAtOnce()
    {
        string h = Ns("vb"), c1 = Ns("vb1"), c2 = Ns("vb2");
        Ctx.Bridges.Create("br0", h);
        var p1 = Ctx.Veths.Create(new VethSpec { Name = "v1", Namespace = h, PeerName = "eth0", PeerNamespace = c1, Bridge = "br0" });
        Ctx.Veths.Create(new VethSpec { Name = "v2", Namespace = h, PeerName = "eth0", PeerNamespace = c2, Bridge = "br0" });
        Assert.Equal("br0", p1.Master);
        Assert.Equal(new[] { "v1", "v2" }, Ctx.Bridges.ListPorts("br0", h).Select(p => p.Name).Order());
        Ctx.Addresses.Add("eth0", "198.51.100.1/24", c1);
        Ctx.Addresses.Add("eth0", "198.51.100.2/24", c2);
        Assert.True(Ping(c1, "198.51.100.2"));
        // A bridge that is missing or is not one: refused before anything is made.
        string before = Run("ip", "-n", h, "-br", "link").Out;
        Assert.Equal("BridgeNotFound", Assert.Throws<VNetException>(() =>
            Ctx.Veths.Create(new VethSpec { Name = "v3", Namespace = h, PeerName = "eth1", PeerNamespace = c1, Bridge = "nobr" })).ErrorId);
        Assert.Equal("NotABridge", Assert.Throws<VNetException>(() =>
            Ctx.Veths.Create(new VethSpec { Name = "v3", Namespace = h, PeerName = "v4", Bridge = "v1" })).ErrorId);
        Assert.Equal(before, Run("ip", "-n", h, "-br", "link").Out);
        Assert.DoesNotContain("eth1", Run("ip", "-n", c1, "-br", "link").Out);
    }

    [SkippableFact]
    public void VethInOneNamespaceResolvesItsLocalPeer()
    {
        string n = Ns("local");
        var made = Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n });
        Assert.Equal(n, made.PeerNamespace); // where the peer is, not the caller's namespace
        var a = Assert.Single(Ctx.Veths.List(n, "a0"));
        Assert.Equal("b0", a.PeerName);
        Assert.Equal(n, a.PeerNamespace);
        Assert.True(a.PeerResolved);
    }

    [SkippableFact]
    public void AddPortToSomethingThatIsNotABridge()
    {
        string n = Ns("nb");
        Ctx.Veths.Create(new VethSpec { Name = "a0", PeerName = "b0", Namespace = n, PeerNamespace = n });
        var e = Assert.Throws<VNetException>(() => Ctx.Bridges.AddPort("a0", "b0", n));
        Assert.Equal("NotABridge", e.ErrorId);
        Assert.Equal("BridgeNotFound", Assert.Throws<VNetException>(() => Ctx.Bridges.AddPort("nobr", "b0", n)).ErrorId);
        Assert.Null(Ctx.Links.Get("b0", n).Master);
    }
}
