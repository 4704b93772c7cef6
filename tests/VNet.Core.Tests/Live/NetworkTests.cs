using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VNet.Core.Networks;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>Network tests change environment variables and share the host namespace's firewall: one at a time.</summary>
[CollectionDefinition("networks", DisableParallelization = true)]
public sealed class NetworksCollection { }

/// <summary>
/// S10 on the real kernel: networks in the sandbox's own namespace (the "host"), their state in
/// folders of this test's own, so the store is the test's alone.
/// </summary>
[Collection("networks")]
public sealed class NetworkTests : LiveTest
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vnet-nt-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LocalNetworkStore _store;
    private readonly NetworkService _nets;

    public NetworkTests()
    {
        _store = new LocalNetworkStore(Path.Combine(_root, "state"), Path.Combine(_root, "run"));
        _nets = new NetworkService(Ctx, _store);
    }

    public override void Dispose()
    {
        foreach (var n in _store.ListNetworks())
        {
            try { _nets.Remove(n.Name, force: true); } catch (VNetException) { }
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        base.Dispose();
    }

    private ContainerNetwork Net(string suffix, string subnet, bool isInternal = false) =>
        _nets.Create(new NetworkSpec { Name = $"{P}-{suffix}", Subnet = new[] { subnet }, Internal = isInternal });

    private ContainerEndpoint Join(ContainerNetwork net, string ns, params string[] ips) =>
        _nets.Connect(new ConnectSpec { Network = net.Name, Target = new EndpointTarget { Namespace = ns }, IPAddress = ips.Length > 0 ? ips : null });

    private static string Addr(ContainerEndpoint e) => e.Addresses[0].Split('/')[0];

    [SkippableFact]
    public void MembersReachEachOther_AndRemoveLeavesNothing()
    {
        var net = Net("a", "192.0.2.128/26");
        string a = Ns("a"), b = Ns("b");
        var ea = Join(net, a);
        var eb = Join(net, b);
        Assert.Equal("192.0.2.130", Addr(ea));
        Assert.Equal("192.0.2.131", Addr(eb));
        Assert.True(Ping(a, "192.0.2.131"));
        Assert.True(Ping(b, "192.0.2.129"));
        Assert.Equal(net.BridgeName, Ctx.Links.Get(ea.HostInterface!).Master);

        var e = Assert.Throws<VNetException>(() => Join(net, a));
        Assert.Equal("AlreadyConnected", e.ErrorId);
        Assert.Equal(2, _store.Leases(net.Name).Count);

        e = Assert.Throws<VNetException>(() => _nets.Remove(net.Name));
        Assert.Equal("NetworkHasEndpoints", e.ErrorId);
        Assert.Contains(a, e.Message);
        Assert.True(_nets.Remove(net.Name, force: true));
        Assert.Null(Ctx.Links.TryGet(net.BridgeName!));
        Assert.Null(Ctx.Links.TryGet("eth0", a));
        Assert.Empty(_store.Leases(net.Name));
        Assert.DoesNotContain(Ctx.Nat.List(), r => r.Id == "masquerade-192.0.2.128/26");
        Assert.DoesNotContain(net.BridgeName!, Ctx.Nat.IsolatedBridges(null));
    }

    [SkippableFact]
    public void ExhaustionNamesTheNetwork_AndLeavesNoInterfaceOrLease()
    {
        var net = Net("x", "192.0.2.192/30");
        Join(net, Ns("x1"));
        string x2 = Ns("x2");
        var e = Assert.Throws<VNetException>(() => Join(net, x2));
        Assert.Equal("NetworkExhausted", e.ErrorId);
        Assert.Contains(net.Name, e.Message);
        Assert.Null(Ctx.Links.TryGet("eth0", x2));
        Assert.Single(_store.Leases(net.Name));
        Assert.Single(_store.ListEndpoints(net.Name));
    }

    [SkippableFact]
    public void ALeakedLeaseDoesNotBlockAllocation()
    {
        var net = Net("l", "192.0.2.196/30");
        // What a Connect killed between the lease and its record leaves: a lease nobody's record holds.
        Assert.True(_store.TryClaimAddress(net.Name, IPAddress.Parse("192.0.2.198"), "f00dfeedf00dfeedf00d"));
        var ep = Join(net, Ns("l1"));
        Assert.Equal("192.0.2.198", Addr(ep));
        Assert.Equal(ep.Id, _store.AddressHolder(net.Name, IPAddress.Parse("192.0.2.198")));
    }

    [SkippableFact]
    public void OverlappingSubnetIsRefusedNamingBothNetworks()
    {
        var net = Net("o1", "192.0.2.128/26");
        var e = Assert.Throws<VNetException>(() => Net("o2", "192.0.2.160/27"));
        Assert.Equal("SubnetOverlap", e.ErrorId);
        Assert.Contains(net.Name, e.Message);
        Assert.Contains($"{P}-o2", e.Message);
        Assert.Contains("192.0.2.128/26", e.Message);
        Assert.Contains("192.0.2.160/27", e.Message);
        Assert.Single(_store.ListNetworks());
    }

    [SkippableFact]
    public void APendingEndpointOfADeadProcessIsRolledBackByRepair()
    {
        var net = Net("p", "192.0.2.128/26");
        var ep = Join(net, Ns("p1"));
        // Make it what a kill -9 between veth and Active leaves: Pending, owned by a dead process.
        using (var dead = Process.Start("true")!) { dead.WaitForExit(); ep.OwnerProcessId = dead.Id; }
        ep.State = EndpointState.Pending;
        _store.SaveEndpoint(ep);
        var repairs = _nets.Repair(net.Name);
        var r = Assert.Single(repairs);
        Assert.Equal("Endpoint", r.What);
        Assert.Contains($"process {ep.OwnerProcessId} is gone", r.Reason);
        Assert.Null(Ctx.Links.TryGet(ep.HostInterface!));
        Assert.Empty(_store.Leases(net.Name));
        Assert.Empty(_nets.Repair(net.Name));
    }

    [SkippableFact]
    public void AfterTheBridgeVanishedConnectRecreatesItAndPutsMembersBack()
    {
        var net = Net("r", "192.0.2.128/26");
        string r1 = Ns("r1"), r2 = Ns("r2");
        Join(net, r1);
        Run("ip", "link", "del", net.BridgeName!); // behind VNet's back, as a reboot would
        var d = new Diagnostics();
        _nets.Connect(new ConnectSpec { Network = net.Name, Target = new EndpointTarget { Namespace = r2 } }, d);
        Assert.Equal("bridge", Ctx.Links.Get(net.BridgeName!).Kind);
        Assert.Contains(d.Notes, n => n.Contains("re-created", StringComparison.Ordinal));
        Assert.True(Ping(r2, "192.0.2.130"));
        Assert.Contains(net.BridgeName!, Ctx.Nat.IsolatedBridges(null));
    }

    [SkippableFact]
    public void AHalfMadeBridgeIsMadeAgainByTheNextConnect()
    {
        var net = Net("h", "192.0.2.128/26");
        // A bridge is brought up as the last step of making it: a down one is what a kill in the middle leaves.
        Ctx.Links.SetUp(net.BridgeName!, false);
        string h1 = Ns("h1");
        Join(net, h1);
        Assert.True(Ctx.Links.Get(net.BridgeName!).AdminUp);
        Assert.Contains(Ctx.Addresses.List(null, net.BridgeName), a => a.Cidr == "192.0.2.129/26");
        Assert.Single(Ctx.Nat.List(), r => r.Id == "masquerade-192.0.2.128/26");
        Assert.True(Ping(h1, "192.0.2.129"));
    }

    [SkippableFact]
    public void InternalNetworkHasNoRouteOutAndNoMasquerade()
    {
        var net = Net("i", "192.0.2.128/26", isInternal: true);
        string i1 = Ns("i1");
        Join(net, i1);
        Assert.DoesNotContain(Ctx.Routes.List(i1, "IPv4"), r => r.Destination == "default");
        Assert.DoesNotContain(Ctx.Nat.List(), r => r.Source == "192.0.2.128/26");
        Assert.True(Ping(i1, "192.0.2.129"));
    }

    [SkippableFact]
    public void StaticAddressInUseNamesItsHolder_AndLeavesNothing()
    {
        var net = Net("s", "192.0.2.128/26");
        string s1 = Ns("s1"), s2 = Ns("s2");
        Join(net, s1, "192.0.2.150");
        var e = Assert.Throws<VNetException>(() => Join(net, s2, "192.0.2.150"));
        Assert.Equal("AddressInUse", e.ErrorId);
        Assert.Contains(s1, e.Message);
        Assert.Null(Ctx.Links.TryGet("eth0", s2));
        Assert.Single(_store.ListEndpoints(net.Name));
    }

    [SkippableFact]
    public void NoneDriverGivesLoOnly_MacvlanRefusesAnMtuAboveItsParent()
    {
        var none = _nets.Create(new NetworkSpec { Name = $"{P}-n", Driver = "none" });
        string z = Ns("z");
        var ep = _nets.Connect(new ConnectSpec { Network = none.Name, Target = new EndpointTarget { Namespace = z } });
        Assert.Empty(ep.Addresses);
        Assert.Equal(new[] { "lo" }, Ctx.Links.List(z).Select(l => l.Name));

        string parent = L("mv");
        Ctx.Veths.Create(new Links.VethSpec { Name = parent, PeerName = L("mvp"), Mtu = 1400 });
        var e = Assert.Throws<VNetException>(() => _nets.Create(new NetworkSpec { Name = $"{P}-m", Driver = "macvlan", Parent = parent, Subnet = new[] { "192.0.2.0/28" }, Mtu = 1500 }));
        Assert.Equal("MtuAboveParent", e.ErrorId);
        Assert.Contains("-Mtu 1500", e.Message);
        Assert.Null(_store.GetNetwork($"{P}-m"));
    }

    [SkippableFact]
    public void TheDefinitionIsPlainJsonThatSurvivesInTheStateRoot()
    {
        var net = Net("j", "192.0.2.128/26");
        string json = File.ReadAllText(Path.Combine(_root, "state", "networks", net.Name + ".json"));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("192.0.2.128/26", doc.RootElement.GetProperty("Subnets")[0].GetProperty("Subnet").GetString());
        Assert.Equal(net.BridgeName, doc.RootElement.GetProperty("BridgeName").GetString());
    }

    [SkippableFact]
    public void AMemberOfTwoNetworksKeepsTheFirstGateway_AndGetsTheOtherWhenTheFirstLeaves()
    {
        var one = Net("g1", "192.0.2.0/27");
        var two = Net("g2", "192.0.2.32/27");
        string a = Ns("a");
        Join(one, a);
        var second = Join(two, a);
        Assert.Equal("eth1", second.InterfaceName);
        var d = Assert.Single(Ctx.Routes.List(a, "IPv4"), r => r.Destination == "default");
        Assert.Equal("192.0.2.1", d.Gateway);

        Assert.True(_nets.Disconnect(one.Name, new EndpointTarget { Namespace = a }));
        d = Assert.Single(Ctx.Routes.List(a, "IPv4"), r => r.Destination == "default");
        Assert.Equal("192.0.2.33", d.Gateway);
        Assert.Equal("eth1", d.InterfaceName);
        Assert.True(Ping(a, "192.0.2.33"));
    }
}
