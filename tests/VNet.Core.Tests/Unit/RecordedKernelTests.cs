using VNet.Core.Filter;
using VNet.Core.Netlink;
using VNet.Core.Routes;
using VNet.Core.Tests.Replay;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// The services against the kernel's own answers, recorded inside the sandbox (Recordings/, made by
/// `./build.sh fuzz --record`; the topology is in tests/VNet.Fuzz/Recorder.cs) and replayed
/// without root. Requests are compared byte for byte with what the kernel accepted.
/// </summary>
public class RecordedKernelTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Recordings");

    /// <summary>A context whose sockets replay the scenario's recordings; <paramref name="conns"/> gets them to check they were used up.</summary>
    private static NetContext Replay(string scenario, List<ReplayConnection>? conns = null) => new()
    {
        Connections = protocol =>
        {
            string file = NetlinkRecording.FileName(scenario, protocol);
            var c = new ReplayConnection(NetlinkRecording.Load(Path.Combine(Dir, file)), file);
            conns?.Add(c);
            return c;
        },
    };

    [Fact]
    public void LinksOfTheRecordedTopology()
    {
        var conns = new List<ReplayConnection>();
        using var ctx = Replay("links", conns);
        var links = ctx.Links.List().ToDictionary(l => l.Name);
        Assert.Equal("loopback", links["lo"].Kind);
        Assert.Equal("bridge", links["br0"].Kind);
        Assert.Equal("02:00:00:00:00:b0", links["br0"].MacAddress);
        Assert.Equal("veth", links["v1"].Kind);
        Assert.Equal("br0", links["v1"].Master);
        Assert.Equal("vxlan", links["vx0"].Kind);
        Assert.Equal("br0", links["vx0"].Master);
        Assert.Equal("forwarding", links["v1"].PortState);
        Assert.True(links["v1p"].AdminUp);
        Assert.All(conns, c => Assert.True(c.Finished));
    }

    [Fact]
    public void AddressesOfBothFamilies()
    {
        using var ctx = Replay("addresses");
        var a = ctx.Addresses.List();
        var v4 = Assert.Single(a, x => x.IPAddress == "198.51.100.1");
        Assert.Equal(("br0", 24, "IPv4", "global"), (v4.InterfaceName, v4.PrefixLength, v4.AddressFamily, v4.Scope));
        var v6 = Assert.Single(a, x => x.IPAddress == "2001:db8:1::1");
        Assert.Equal(("br0", 64, "IPv6"), (v6.InterfaceName, v6.PrefixLength, v6.AddressFamily));
        Assert.Contains("nodad", v6.Flags);
        Assert.Contains(a, x => x.IPAddress == "192.0.2.1" && x.InterfaceName == "d0");
    }

    [Fact]
    public void RoutesViaGatewaysAndABlackhole()
    {
        using var ctx = Replay("routes");
        var r = ctx.Routes.List(allTables: true);
        var v4 = Assert.Single(r, x => x.Destination == "203.0.113.0/24");
        Assert.Equal(("198.51.100.254", "br0", 10, "unicast"), (v4.Gateway, v4.InterfaceName, v4.Metric, v4.Type));
        var v6 = Assert.Single(r, x => x.Destination == "2001:db8:2::/64");
        Assert.Equal(("2001:db8:1::fe", "br0", "IPv6"), (v6.Gateway, v6.InterfaceName, v6.AddressFamily));
        Assert.Equal("blackhole", Assert.Single(r, x => x.Destination == "198.18.0.0/15").Type);
        // The local table is read too with allTables.
        Assert.Contains(r, x => x.Type == "local" && x.Destination == "198.51.100.1/32");
    }

    [Fact]
    public void BridgeFdbStaticEntryAndVxlanFloodEntry()
    {
        using var ctx = Replay("fdb");
        var f = ctx.Fdb.List();
        var st = Assert.Single(f, e => e.MacAddress == "02:00:00:00:00:bb");
        Assert.Equal(("v1", "br0", "static"), (st.InterfaceName, st.Bridge, st.State));
        // The tunnel's default remote and the appended peer, each a flood entry of the device.
        var flood = f.Where(e => e.MacAddress == "00:00:00:00:00:00" && e.InterfaceName == "vx0").Select(e => e.RemoteVtep).Order();
        Assert.Equal(new[] { "192.0.2.2", "192.0.2.3" }, flood);
    }

    [Fact]
    public void VxlanPeersAreTheTunnelsOwnEntries()
    {
        using var ctx = Replay("vxlan-peers");
        var peers = ctx.Vxlans.ListPeers("vx0");
        Assert.Contains(peers, p => p.Remote == "192.0.2.3" && p.Flood);
        Assert.Contains(peers, p => p.Remote == "192.0.2.3" && p.MacAddress == "02:00:00:00:00:aa" && !p.Flood);
        Assert.Contains(peers, p => p.Remote == "192.0.2.2" && p.Flood); // the default remote
        Assert.Equal(3, peers.Count);
    }

    [Fact]
    public void ConntrackShowsStateAndDestinationNat()
    {
        using var ctx = Replay("conntrack");
        var ct = ctx.Conntrack.List();
        var tcp = Assert.Single(ct, e => e.Source == "198.51.100.2");
        Assert.Equal(("tcp", "203.0.113.5", 40000, 80, "ESTABLISHED"), (tcp.Protocol, tcp.Destination, tcp.SourcePort, tcp.DestinationPort, tcp.State));
        Assert.Contains("ASSURED", tcp.Status);
        var dnat = Assert.Single(ct, e => e.Source == "198.51.100.4");
        Assert.True(dnat.DestinationNat);
        Assert.Equal(("192.0.2.1", 10080, "198.51.100.10", 80), (dnat.Destination, dnat.DestinationPort, dnat.ReplySource, dnat.ReplySourcePort));
        Assert.Equal("udp", Assert.Single(ct, e => e.Source == "198.51.100.3").Protocol);
        // Filters apply to either direction's tuple (a second dump: a second replay of the recording).
        using var again = Replay("conntrack");
        Assert.Equal("198.51.100.4", Assert.Single(again.Conntrack.List(source: "198.51.100.10")).Source);
    }

    // Request builders: the replay throws on the first byte that differs from the request the kernel accepted.

    [Fact]
    public void AddAddressSendsTheRecordedRequest()
    {
        var conns = new List<ReplayConnection>();
        using var ctx = Replay("add-address", conns);
        var a = ctx.Addresses.Add("v1p", "203.0.113.7/24");
        Assert.Equal(("203.0.113.7", 24, "v1p"), (a.IPAddress, a.PrefixLength, a.InterfaceName));
        Assert.All(conns, c => Assert.True(c.Finished));
    }

    [Fact]
    public void AnotherAddressIsNotTheRecordedRequest()
    {
        using var ctx = Replay("add-address");
        var e = Assert.Throws<ReplayMismatchException>(() => ctx.Addresses.Add("v1p", "203.0.113.8/24"));
        Assert.Contains("differs from the recorded", e.Message);
    }

    [Fact]
    public void AddRouteSendsTheRecordedRequest()
    {
        var conns = new List<ReplayConnection>();
        using var ctx = Replay("add-route", conns);
        var r = ctx.Routes.Add(new RouteSpec { Destination = "203.0.113.128/25", Gateway = "198.51.100.253", Metric = 5 });
        Assert.Equal(("203.0.113.128/25", "198.51.100.253", 5), (r.Destination, r.Gateway, r.Metric));
        Assert.All(conns, c => Assert.True(c.Finished));
    }

    [Fact]
    public void SetMtuSendsTheRecordedRequest()
    {
        var conns = new List<ReplayConnection>();
        using var ctx = Replay("set-mtu", conns);
        var l = ctx.Links.Set("v1p", new Links.LinkChange { Mtu = 1400 });
        Assert.Equal(1400, l.Mtu);
        Assert.All(conns, c => Assert.True(c.Finished));
    }

    [Fact]
    public void TheKernelsRefusalOfADuplicateAddressNamesIt()
    {
        using var ctx = Replay("add-address-twice");
        var e = Assert.Throws<VNetException>(() => ctx.Addresses.Add("v1p", "203.0.113.7/24"));
        Assert.Equal("AddressExists", e.ErrorId);
        Assert.Equal("203.0.113.7/24", e.Target);
    }

    [Fact]
    public void TraceEventsOfOnePing()
    {
        var rec = NetlinkRecording.Load(Path.Combine(Dir, "trace-events.netfilter.nlrec"));
        var rules = new Dictionary<(string, string, string, long), string> { [("ip", "trace", "out", 2)] = "ip daddr 198.51.100.1 meta nftrace set 1" };
        var links = new Dictionary<int, string> { [1] = "lo" };
        var steps = rec.Received.SelectMany(d => NetlinkMessage.ParseAll(d))
            .Select((m, i) => TraceService.ParseEvent(m, i + 1, rules, links)).OfType<NetTraceStep>().ToList();
        Assert.Contains(steps, s => (s.Family, s.Table, s.Chain, s.Type, s.Rule) == ("ip", "trace", "out", "rule", "ip daddr 198.51.100.1 meta nftrace set 1"));
        Assert.Contains(steps, s => (s.Family, s.Table, s.Chain, s.Type, s.Verdict) == ("inet", "filter", "input", "rule", "accept") && s.InInterface == "lo");
    }

    [Fact]
    public void RulesetJsonWithHandlesCountersAndBaseChains()
    {
        var rules = RulesetService.ParseJson(File.ReadAllText(Path.Combine(Dir, "ruleset.json")), "ns1");
        var masq = Assert.Single(rules, r => r.Rule.Contains("masquerade"));
        Assert.Equal(("ip", "vnet", "postrouting", "nat postrouting", "accept", 5L, 1L, 84L),
            (masq.Family, masq.Table, masq.Chain, masq.Hook, masq.Policy, masq.Handle, masq.Packets, masq.Bytes));
        var jump = Assert.Single(rules, r => r.Rule == "jump vnet_fwd");
        Assert.Equal(("inet", "filter", "forward", "drop"), (jump.Family, jump.Table, jump.Chain, jump.Policy));
        Assert.Null(Assert.Single(rules, r => r.Chain == "vnet_fwd").Hook);
        Assert.Equal(2, RulesetService.ParseJson(File.ReadAllText(Path.Combine(Dir, "ruleset.json")), table: "filter", chain: "input").Count);
    }
}
