using System.Diagnostics;
using VNet.Core.Lab;
using VNet.Core.Links;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>S8 on the emulated lab: containers on different hosts in one subnet over VXLAN.</summary>
public class LabTests : LiveTest
{
    private readonly List<string> _labs = new();

    private LabInstance StartLab(int hosts = 2)
    {
        var def = new LabDefinition
        {
            Name = "l" + P[1..6],
            Underlay = new UnderlayDefinition { Subnet = "192.0.2.0/24", Mtu = 1500 },
            Hosts = Enumerable.Range(0, hosts).Select(i => new HostDefinition { Name = ((char)('A' + i)).ToString(), Address = $"192.0.2.{11 + i}" }).ToList(),
        };
        def.Validate("test");
        _labs.Add(def.Name);
        return EmulatedLab.Start(def);
    }

    /// <summary>On every host: br0, container c1 (198.51.100.2, .3, ...) and vxlan0 VNI 77 with every other host as a peer.</summary>
    private static void BuildOverlay(LabInstance lab)
    {
        int ip = 2;
        foreach (var h in lab.Hosts)
        {
            using var c = EmulatedLab.ContextFor(h);
            c.Bridges.Create("br0");
            c.Namespaces.Create("c1");
            c.Veths.Create(new VethSpec { Name = "veth-c1", PeerName = "eth0", PeerNamespace = "c1" });
            c.Bridges.AddPort("br0", "veth-c1");
            c.Addresses.Add("eth0", $"198.51.100.{ip++}/24", "c1");
            c.Vxlans.Create(new VxlanSpec { Name = "vxlan0", Vni = 77, Device = h.Device, Bridge = "br0" });
            foreach (var other in lab.Hosts.Where(o => o != h)) c.Vxlans.AddPeer("vxlan0", other.Address);
        }
    }

    private static (int Code, string Out) OnHost(LabHost h, params string[] cmd)
    {
        using var p = Process.Start(EmulatedLab.OnHost(h, cmd[0], cmd[1..]))!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    private static (int Code, string Out) InContainer(LabHost h, params string[] cmd) =>
        OnHost(h, new[] { "ip", "netns", "exec", "c1" }.Concat(cmd).ToArray());

    [SkippableFact]
    public void S8_ContainersOnTwoHostsShareOneSubnetOverVxlan()
    {
        var lab = StartLab();
        BuildOverlay(lab);
        var (a, b) = (lab.Host("A"), lab.Host("B"));

        Assert.Equal(0, InContainer(a, "ping", "-c", "1", "-W", "2", "198.51.100.3").Code);
        Assert.Equal(0, InContainer(b, "ping", "-c", "1", "-W", "2", "198.51.100.2").Code);

        // The names repeat across hosts, each host seeing only its own c1.
        Assert.Contains("c1", OnHost(a, "ip", "netns", "list").Out);
        Assert.Contains("c1", OnHost(b, "ip", "netns", "list").Out);
        Assert.DoesNotContain("c1", Run("ip", "netns", "list").Out.Split('\n').Select(l => l.Split(' ')[0]));

        // The tunnel: VNI 77, IANA port, MTU 1500 - 50, and the container end fitted to it.
        using var ca = EmulatedLab.ContextFor(a);
        var t = ca.Vxlans.Get("vxlan0");
        Assert.Equal((77, 4789, 1450, "eth1", "br0"), (t.Vni, t.Port, t.Mtu, t.Device, t.Bridge));
        Assert.Contains("vxlan id 77", OnHost(a, "ip", "-d", "link", "show", "vxlan0").Out);
        Assert.Contains("dstport 4789", OnHost(a, "ip", "-d", "link", "show", "vxlan0").Out);
        Assert.Equal(1450, ca.Links.Get("eth0", "c1").Mtu);
        Assert.Equal(1450, ca.Links.Get("veth-c1").Mtu);

        // A full-size packet crosses unfragmented; one byte more is refused at the sender, not lost.
        Assert.Equal(0, InContainer(a, "ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1422", "198.51.100.3").Code);
        var tooBig = InContainer(a, "ping", "-c", "1", "-W", "2", "-M", "do", "-s", "1423", "198.51.100.3");
        Assert.NotEqual(0, tooBig.Code);
        Assert.Contains("mtu", tooBig.Out, StringComparison.OrdinalIgnoreCase);

        // The FDB shows B's container MAC behind the tunnel, with B's VTEP.
        using var cb = EmulatedLab.ContextFor(b);
        string macB = cb.Links.Get("eth0", "c1").MacAddress!;
        var entry = Assert.Single(ca.Fdb.List(null, "br0"), e => e.MacAddress == macB && e.Flags.Contains("master"));
        Assert.Equal("vxlan0", entry.InterfaceName);
        Assert.Equal(b.Address, entry.RemoteVtep);
        Assert.Contains(ca.Vxlans.ListPeers("vxlan0"), p => p.Flood && p.Remote == b.Address);

        // Removing the hosts as each other's peers stops the traffic (both ends: with learning on, a
        // host still peered with A would teach A its MACs again); the tunnel itself stays.
        Assert.True(ca.Vxlans.RemovePeer("vxlan0", b.Address));
        Assert.True(cb.Vxlans.RemovePeer("vxlan0", a.Address));
        // Until B's removal B could still flood to A and A learn its MACs again; nothing reaches A now.
        ca.Vxlans.RemovePeer("vxlan0", b.Address);
        Assert.DoesNotContain(ca.Vxlans.ListPeers("vxlan0"), p => p.Remote == b.Address);
        Assert.NotEqual(0, InContainer(a, "ping", "-c", "1", "-W", "1", "198.51.100.3").Code);
        Assert.Equal(t.Index, ca.Vxlans.Get("vxlan0").Index);
        // ... and adding them back restores it.
        ca.Vxlans.AddPeer("vxlan0", b.Address);
        cb.Vxlans.AddPeer("vxlan0", a.Address);
        Assert.Equal(0, InContainer(a, "ping", "-c", "1", "-W", "2", "198.51.100.3").Code);
    }

    [SkippableFact]
    public void ThreeHostsByConfigurationAlone()
    {
        var def = LabDefinition.Load(Path.Combine(FindRepo(), "lab", "three-host.json"));
        def.Name = "m" + P[1..6];
        _labs.Add(def.Name);
        var lab = EmulatedLab.Start(def);
        Assert.Equal(3, lab.Hosts.Count);
        BuildOverlay(lab);
        Assert.Equal(0, InContainer(lab.Host("A"), "ping", "-c", "1", "-W", "2", "198.51.100.3").Code);
        Assert.Equal(0, InContainer(lab.Host("A"), "ping", "-c", "1", "-W", "2", "198.51.100.4").Code);
        Assert.Equal(0, InContainer(lab.Host("C"), "ping", "-c", "1", "-W", "2", "198.51.100.3").Code);
    }

    [SkippableFact]
    public void StoppingALabLeavesNothing()
    {
        var lab = StartLab();
        BuildOverlay(lab);
        Assert.NotNull(EmulatedLab.Get(lab.Name));
        Assert.True(EmulatedLab.Stop(lab.Name));
        Assert.Null(EmulatedLab.Get(lab.Name));
        Assert.DoesNotContain(lab.Name, Run("ip", "netns", "list").Out);
        Assert.False(Directory.Exists(Path.Combine(EmulatedLab.StateRoot, lab.Name)));
        Assert.All(lab.Hosts, h => Assert.False(Directory.Exists($"/proc/{h.ProcessId}")));
        Assert.False(EmulatedLab.Stop(lab.Name));
    }

    /// <summary>
    /// Four hosts with a store: members on the first three only, every host pointed at them; no
    /// quorum is a clear error carrying the members' logs; a restarted member rejoins with its data.
    /// </summary>
    [SkippableFact]
    public void StoreRunsOnTheFirstThreeHostsAndNamesWhatIsWrong()
    {
        var def = new LabDefinition
        {
            Name = "s" + P[1..6], Store = "etcd",
            Underlay = new UnderlayDefinition { Subnet = "192.0.2.0/24", Mtu = 1500 },
            Hosts = Enumerable.Range(0, 4).Select(i => new HostDefinition { Name = ((char)('A' + i)).ToString(), Address = $"192.0.2.{21 + i}" }).ToList(),
        };
        def.Validate("test");
        _labs.Add(def.Name);
        var lab = EmulatedLab.Start(def);
        Assert.NotNull(lab.Store);
        Assert.Equal(new[] { "A", "B", "C" }, lab.Store!.Members.Select(m => m.HostName));
        Assert.Equal(new[] { "http://192.0.2.21:2379", "http://192.0.2.22:2379", "http://192.0.2.23:2379" }, lab.Store.Endpoints);

        // D runs no member but is pointed at the cluster, and reaches it.
        var d = lab.Host("D");
        var settings = System.Text.Json.JsonSerializer.Deserialize<VNet.Core.Networks.Cluster.StoreSettings>(
            File.ReadAllText(EmulatedLab.PathOnHost(d, "/etc/vnet/store.json")))!;
        Assert.Equal(lab.Store.Endpoints, settings.Endpoints);
        Assert.Equal(("192.0.2.24", "D", d.StoreHostId), (settings.AdvertiseAddress, settings.HostName, settings.HostId));
        Assert.Equal(0, EtcdCluster.Etcdctl(lab, d, lab.Store.Endpoints, "put", "k", "v").Code);
        Assert.Equal("LabStoreMemberNotFound", Assert.Throws<VNetException>(() => EtcdCluster.StopMember(lab.Name, "D")).ErrorId);

        // Two of three down: waiting for health fails, naming etcdctl's answer and with the logs.
        Assert.True(EtcdCluster.StopMember(lab.Name, "B"));
        Assert.True(EtcdCluster.StopMember(lab.Name, "C"));
        Assert.False(EtcdCluster.StopMember(lab.Name, "C"));
        var e = Assert.Throws<VNetException>(() => EtcdCluster.StartMembers(lab.Name, new[] { "A" }, TimeSpan.FromSeconds(3)));
        Assert.Equal("LabStoreFailed", e.ErrorId);
        Assert.Contains("etcdctl endpoint health said", e.Message);
        Assert.Contains("etcd log of member A", e.Message);
        Assert.Contains("\"level\"", e.Message);   // etcd's own lines

        // B back: a quorum again, and B has what was written before it died.
        var started = EtcdCluster.StartMembers(lab.Name, new[] { "B" }, TimeSpan.FromSeconds(20));
        Assert.Equal("B", Assert.Single(started).HostName);
        var again = EmulatedLab.Get(lab.Name)!;
        var (code, output) = EtcdCluster.Etcdctl(again, again.Host("B"), new[] { "http://192.0.2.22:2379" }, "get", "k", "--print-value-only");
        Assert.Equal((0, "v"), (code, output.Trim()));
    }

    [SkippableTheory]
    [InlineData("{ \"name\": \"x1\", \"hosts\": [ { \"name\": \"A\", \"adress\": \"192.0.2.11\" } ] }", "adress")]
    [InlineData("{ \"name\": \"x1\", \"hosts\": [ { \"name\": \"A\", \"address\": \"192.0.2.11\" }, { \"name\": \"B\", \"address\": \"203.0.113.5\" } ] }", "203.0.113.5")]
    [InlineData("{ \"name\": \"x1\", \"hosts\": [ { \"name\": \"A\", \"address\": \"192.0.2.11\" }, { \"name\": \"A\", \"address\": \"192.0.2.12\" } ] }", "twice")]
    [InlineData("{ \"name\": \"x1\", \"hosts\": [ { \"name\": \"A\", \"address\": \"192.0.2.11\" } ] }", "two hosts")]
    [InlineData("{ \"name\": \"x1\" ", "x1")]
    [InlineData("{ \"name\": \"x1\", \"store\": \"consul\", \"hosts\": [ { \"name\": \"A\", \"address\": \"192.0.2.11\" }, { \"name\": \"B\", \"address\": \"192.0.2.12\" } ] }", "consul")]
    public void LabFileMistakesAreNamed(string json, string named)
    {
        string f = Path.Combine(Path.GetTempPath(), P + ".json");
        File.WriteAllText(f, json);
        try
        {
            var e = Assert.Throws<VNetException>(() => LabDefinition.Load(f));
            Assert.Equal("LabFileInvalid", e.ErrorId);
            if (named != "x1") Assert.Contains(named, e.Message);
            Assert.DoesNotContain(EmulatedLab.List(), l => l.Name == "x1");
        }
        finally { File.Delete(f); }
    }

    [SkippableFact]
    public void TunnelBadInputIsNamedAndLeavesNothing()
    {
        string n = Ns("vx");
        Ctx.Bridges.Create("br0", n);
        Ctx.Veths.Create(new VethSpec { Name = "eth1", PeerName = "peer1", Namespace = n, PeerNamespace = n });
        string before = Run("ip", "-n", n, "-br", "link").Out;
        void Bad(string id, VxlanSpec spec, string? named = null)
        {
            spec.Namespace = n;
            spec.Name = "vxlan0";
            var e = Assert.Throws<VNetException>(() => Ctx.Vxlans.Create(spec));
            Assert.Equal(id, e.ErrorId);
            if (named != null) Assert.Contains(named, e.Message);
        }
        Bad("InvalidVni", new VxlanSpec { Vni = 0, Device = "eth1" }, "0");
        Bad("InvalidVni", new VxlanSpec { Vni = 16777216, Device = "eth1" }, "16777216");
        Bad("InvalidPort", new VxlanSpec { Vni = 77, Port = 0, Device = "eth1" });
        Bad("InvalidPort", new VxlanSpec { Vni = 77, Port = 65536, Device = "eth1" }, "65536");
        Bad("InvalidIPAddress", new VxlanSpec { Vni = 77, Remote = "192.0.2", Device = "eth1" }, "192.0.2");
        Bad("GroupNotMulticast", new VxlanSpec { Vni = 77, Group = "192.0.2.12", Device = "eth1" }, "192.0.2.12");
        Bad("RemoteIsMulticast", new VxlanSpec { Vni = 77, Remote = "239.1.1.1", Device = "eth1" }, "239.1.1.1");
        Bad("UnderlayNotFound", new VxlanSpec { Vni = 77, Device = "enp0s8" }, "enp0s8");
        Bad("BridgeNotFound", new VxlanSpec { Vni = 77, Device = "eth1", Bridge = "nobr" }, "nobr");
        Bad("NotABridge", new VxlanSpec { Vni = 77, Device = "eth1", Bridge = "peer1" }, "peer1");
        Assert.Equal(before, Run("ip", "-n", n, "-br", "link").Out);

        // The good call: kernel default port 8472 is NOT what VNet uses.
        var t = Ctx.Vxlans.Create(new VxlanSpec { Name = "vxlan0", Vni = 77, Remote = "192.0.2.12", Device = "eth1", Namespace = n });
        Assert.Equal(4789, t.Port);
        Assert.Equal("192.0.2.12", t.Remote);
        Assert.Equal("LinkExists", Assert.Throws<VNetException>(() =>
            Ctx.Vxlans.Create(new VxlanSpec { Name = "vxlan0", Vni = 78, Device = "eth1", Namespace = n })).ErrorId);
        Assert.Equal("PeerIsDefaultRemote", Assert.Throws<VNetException>(() => Ctx.Vxlans.RemovePeer("vxlan0", "192.0.2.12", ns: n)).ErrorId);
        Assert.False(Ctx.Vxlans.RemovePeer("vxlan0", "192.0.2.99", ns: n));
        Assert.Equal("PeerNotFound", Assert.Throws<VNetException>(() => Ctx.Vxlans.RemovePeer("vxlan0", "192.0.2.99", ns: n, strict: true)).ErrorId);
        Assert.Equal("NotAVxlan", Assert.Throws<VNetException>(() => Ctx.Vxlans.Remove("br0", n)).ErrorId);
        var s = Ctx.Vxlans.Set("vxlan0", n, learning: false, mtu: 1400);
        Assert.False(s.Learning);
        Assert.Equal(1400, s.Mtu);
        Assert.True(Ctx.Vxlans.Remove("vxlan0", n));
        Assert.False(Ctx.Vxlans.Remove("vxlan0", n));
    }

    [SkippableFact]
    public void MacvlanBridgeModeLinksTalk()
    {
        string host = Ns("mvh"), a = Ns("mva"), b = Ns("mvb");
        Ctx.Veths.Create(new VethSpec { Name = "parent0", PeerName = "other0", Namespace = host, PeerNamespace = host });
        var l1 = Ctx.Macvlans.Create("mv1", "parent0", "bridge", host, toNamespace: a);
        var l2 = Ctx.Macvlans.Create("mv2", "parent0", "bridge", host, toNamespace: b);
        Assert.Equal("macvlan", l1.Kind);
        Assert.Equal(a, l1.Namespace);
        Ctx.Addresses.Add("mv1", "203.0.113.21/24", a);
        Ctx.Addresses.Add("mv2", "203.0.113.22/24", b);
        Assert.True(Ping(a, "203.0.113.22"));
        Assert.Contains("macvlan mode bridge", Run("ip", "-n", b, "-d", "link", "show", "mv2").Out);
        Assert.Equal("InvalidMacvlanMode", Assert.Throws<VNetException>(() => Ctx.Macvlans.Create("mv3", "parent0", "switch", host)).ErrorId);
        Assert.Equal("ParentNotFound", Assert.Throws<VNetException>(() => Ctx.Macvlans.Create("mv3", "nope0", "bridge", host)).ErrorId);
    }

    [SkippableFact]
    public void VlanLinksWhereTheKernelHas8021q()
    {
        var (supported, reason) = VlanService.KernelSupport();
        string n = Ns("vl");
        Ctx.Veths.Create(new VethSpec { Name = "trunk0", PeerName = "trunk1", Namespace = n, PeerNamespace = n });
        Assert.Equal("InvalidVlanId", Assert.Throws<VNetException>(() => Ctx.Vlans.Create("trunk0.5000", "trunk0", 5000, n)).ErrorId);
        if (!supported)
        {
            // The refusal is clear and names why; then the test is reported as skipped with that reason.
            var e = Assert.Throws<VNetException>(() => Ctx.Vlans.Create("trunk0.10", "trunk0", 10, n));
            Assert.Equal("VlanNotSupported", e.ErrorId);
            Assert.Contains("802.1Q", e.Message);
            Skip.If(true, reason);
        }
        var v = Ctx.Vlans.Create("trunk0.10", "trunk0", 10, n);
        Assert.Equal("vlan", v.Kind);
        Assert.Contains("vlan protocol 802.1Q id 10", Run("ip", "-n", n, "-d", "link", "show", "trunk0.10").Out);
    }

    private static string FindRepo()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "VNet.psd1"))) d = d.Parent;
        return d!.FullName;
    }

    public override void Dispose()
    {
        foreach (var l in _labs) EmulatedLab.Stop(l);
        base.Dispose();
    }
}
