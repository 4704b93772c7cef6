using System.Net;
using System.Net.Sockets;
using VNet.Core.Networks;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>IPAM, pools and definitions against a real local store in a temporary folder (no kernel, no root).</summary>
[Collection("networks")]
public sealed class IpamTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vnet-ipam-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LocalNetworkStore _store;

    public IpamTests() => _store = new LocalNetworkStore(Path.Combine(_dir, "state"), Path.Combine(_dir, "run"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static ContainerNetwork Net(string subnet, string? range = null, Dictionary<string, string>? aux = null, string? gateway = null) =>
        NetworkDefinition.Build(new NetworkSpec
        {
            Name = "n", Subnet = new[] { subnet }, IPRange = range != null ? new[] { range } : null, AuxAddress = aux,
            Gateway = gateway != null ? new[] { gateway } : null,
        }, "bridge", NetworkDefinition.ParseSubnets(new[] { subnet }), NetworkDefinition.NewId());

    /// <summary>One endpoint's dynamic address, through <see cref="Ipam.Reserve"/> (what Connect calls); null when the range is full.</summary>
    private string? Dynamic(ContainerNetwork net, string id)
    {
        var ep = new ContainerEndpoint { Id = id, Network = net.Name, State = EndpointState.Pending };
        try
        {
            Ipam.Reserve(_store, net, ep, new Dictionary<NetworkSubnet, IPAddress>());
        }
        catch (VNetException e) when (e.ErrorId == "NetworkExhausted")
        {
            return null;
        }
        return ep.Addresses.Single().Split('/')[0];
    }

    /// <summary>One endpoint's static address, through <see cref="Ipam.Reserve"/>.</summary>
    private void Static(ContainerNetwork net, NetworkSubnet sub, string address, string id) =>
        Ipam.Reserve(_store, net, new ContainerEndpoint { Id = id, Network = net.Name, State = EndpointState.Pending },
            new Dictionary<NetworkSubnet, IPAddress> { [sub] = IPAddress.Parse(address) });

    [Fact]
    public void DynamicAddressesSkipNetworkGatewayAuxAndBroadcastAndGoRoundRobin()
    {
        var net = Net("198.51.100.0/29", aux: new() { ["router"] = "198.51.100.3" });
        var sub = net.Subnets[0];
        Assert.Equal("198.51.100.1", sub.Gateway);
        var got = Enumerable.Range(0, 4).Select(i => Dynamic(net, $"ep{i}")).ToList();
        Assert.Equal(new[] { "198.51.100.2", "198.51.100.4", "198.51.100.5", "198.51.100.6" }, got);
        Assert.Null(Dynamic(net, "ep9")); // .7 is the broadcast
        // A freed address is not the next one handed out while others are free: round robin.
        _store.ReleaseAddress("n", IPAddress.Parse("198.51.100.4"));
        _store.ReleaseAddress("n", IPAddress.Parse("198.51.100.2"));
        Assert.Equal("198.51.100.2", Dynamic(net, "a")); // wraps after .6
        Assert.Equal("198.51.100.4", Dynamic(net, "b"));
    }

    [Fact]
    public void RangeLimitsDynamicAddressesButNotStaticOnes()
    {
        var net = Net("203.0.113.0/24", range: "203.0.113.128/30");
        var sub = net.Subnets[0];
        var got = Enumerable.Range(0, 4).Select(i => Dynamic(net, $"e{i}")).ToList();
        Assert.Equal(new[] { "203.0.113.128", "203.0.113.129", "203.0.113.130", "203.0.113.131" }, got);
        Assert.Null(Dynamic(net, "e5"));
        Static(net, sub, "203.0.113.7", "s1");
        var e = Assert.Throws<VNetException>(() => Static(net, sub, "203.0.113.7", "s2"));
        Assert.Equal("AddressInUse", e.ErrorId);
        Assert.Contains("203.0.113.7", e.Message);
        Assert.Contains("s1", e.Message);
        e = Assert.Throws<VNetException>(() => Static(net, sub, "203.0.113.1", "s3"));
        Assert.Equal("AddressReserved", e.ErrorId);
        Assert.Contains("gateway", e.Message);
    }

    [Fact]
    public void IPv6WalksWithTheSameCode()
    {
        var net = Net("2001:db8:5::/64");
        var sub = net.Subnets[0];
        Assert.Equal("2001:db8:5::1", sub.Gateway);
        Assert.Equal("2001:db8:5::2", Dynamic(net, "x"));
        Assert.Equal("2001:db8:5::3", Dynamic(net, "y"));
        Assert.Equal(AddressFamily.InterNetworkV6, _store.LastAllocated("n", AddressFamily.InterNetworkV6)?.AddressFamily);
    }

    [Fact]
    public void LocalReservationIsAllOrNothingAndALostAddressIsSkipped()
    {
        var net = NetworkDefinition.Build(new NetworkSpec { Name = "n", Subnet = new[] { "198.51.100.0/29", "2001:db8:7::/64" } }, "bridge",
            NetworkDefinition.ParseSubnets(new[] { "198.51.100.0/29", "2001:db8:7::/64" }), NetworkDefinition.NewId());
        var ep = new ContainerEndpoint { Id = "e1", Network = "n", State = EndpointState.Pending };
        // The IPv6 address is someone else's: nothing of e1 may be left, the IPv4 claim included.
        Assert.True(_store.TryClaimAddress("n", IPAddress.Parse("2001:db8:7::2"), "other"));
        Assert.False(_store.TryReserve(ep, new[] { IPAddress.Parse("198.51.100.2"), IPAddress.Parse("2001:db8:7::2") }, Array.Empty<IPAddress>(), out var conflict));
        Assert.Equal("2001:db8:7::2", conflict?.ToString());
        Assert.Null(_store.AddressHolder("n", IPAddress.Parse("198.51.100.2")));
        Assert.Null(_store.GetEndpoint("n", "e1"));

        // Reserve picks past the held one: both families, one record, Pending, round robin moved.
        Assert.Equal(0, Ipam.Reserve(_store, net, ep, new Dictionary<NetworkSubnet, IPAddress>()));
        Assert.Equal(new[] { "198.51.100.2/29", "2001:db8:7::3/64" }, ep.Addresses);
        Assert.Equal(EndpointState.Pending, _store.GetEndpoint("n", "e1")?.State);
        Assert.Equal("e1", _store.AddressHolder("n", IPAddress.Parse("2001:db8:7::3")));
        Assert.Equal("2001:db8:7::3", _store.LastAllocated("n", AddressFamily.InterNetworkV6)?.ToString());
    }

    [Theory]
    [InlineData("198.51.100.0/24", "203.0.113.9", null, "GatewayOutsideSubnet", "203.0.113.9")]
    [InlineData("198.51.100.0/24", "198.51.100.0", null, "GatewayReserved", "198.51.100.0")]
    [InlineData("198.51.100.0/24", null, "203.0.113.0/28", "IPRangeOutsideSubnet", "203.0.113.0/28")]
    [InlineData("198.51.100.0/24", null, "198.51.100.0/23", "IPRangeOutsideSubnet", "198.51.100.0/23")]
    public void BadGatewaysAndRangesNameTheValue(string subnet, string? gateway, string? range, string id, string named)
    {
        var e = Assert.Throws<VNetException>(() => Net(subnet, range, gateway: gateway));
        Assert.Equal(id, e.ErrorId);
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData("198.51.100.1/24", "host bits")]
    [InlineData("198.51.100.0/31", "no room")]
    [InlineData("198.51.100.0", "prefix")]
    public void BadSubnetsNameTheValue(string subnet, string why)
    {
        var e = Assert.Throws<VNetException>(() => NetworkDefinition.ParseSubnets(new[] { subnet }));
        Assert.Equal("InvalidSubnet", e.ErrorId);
        Assert.Contains(subnet, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("tomcat-net")]
    [InlineData("a.b_c-1")]
    public void DockerLikeNamesAreAccepted(string name) => NetworkDefinition.ValidateName(name);

    [Theory]
    [InlineData("")]
    [InlineData("-lead")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void OtherNamesAreRefused(string name)
    {
        var e = Assert.Throws<VNetException>(() => NetworkDefinition.ValidateName(name));
        Assert.Equal("InvalidNetworkName", e.ErrorId);
    }

    [Fact]
    public void PoolsParseLikeDockersFlagAndPickSkipsWhatIsTaken()
    {
        var pools = AddressPools.Parse("base=198.51.100.0/24,size=26; base=203.0.113.0/24,size=25", "test");
        Assert.Equal(2, pools.Count);
        var taken = new List<IPPrefix> { Validation.Cidr("198.51.100.0/26"), Validation.Cidr("198.51.100.70/32"), Validation.Cidr("198.51.100.128/26") };
        Assert.Equal("198.51.100.192/26", AddressPools.Pick(pools, taken)?.ToString());
        taken.Add(Validation.Cidr("198.51.100.192/26"));
        Assert.Equal("203.0.113.0/25", AddressPools.Pick(pools, taken)?.ToString());
        taken.Add(Validation.Cidr("203.0.113.0/24"));
        Assert.Null(AddressPools.Pick(pools, taken));
        var e = Assert.Throws<VNetException>(() => AddressPools.Parse("base=198.51.100.0/24,size=20", "$VNET_DEFAULT_ADDRESS_POOLS"));
        Assert.Equal("InvalidAddressPool", e.ErrorId);
        Assert.Contains("VNET_DEFAULT_ADDRESS_POOLS", e.Message);
    }

    [Fact]
    public void PoolsComeFromTheVariableThenTheHostFile()
    {
        string? old = Environment.GetEnvironmentVariable(AddressPools.EnvVar);
        string? oldCfg = Environment.GetEnvironmentVariable(StateRoots.ConfigEnv);
        try
        {
            Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, Path.Combine(_dir, "etc"));
            Environment.SetEnvironmentVariable(AddressPools.EnvVar, null);
            Directory.CreateDirectory(Path.Combine(_dir, "etc"));
            File.WriteAllText(AddressPools.ConfigFile, "# documentation range\nbase=192.0.2.0/24,size=28\n");
            var (pools, source) = AddressPools.Load();
            Assert.Equal("base=192.0.2.0/24,size=28", Assert.Single(pools).ToString());
            Assert.Equal(AddressPools.ConfigFile, source);
            Environment.SetEnvironmentVariable(AddressPools.EnvVar, "base=203.0.113.0/24,size=26");
            Assert.Equal("base=203.0.113.0/24,size=26", Assert.Single(AddressPools.Load().Pools).ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(AddressPools.EnvVar, old);
            Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, oldCfg);
        }
    }

    [Fact]
    public void ForceComparesOnlyWhatWasGiven()
    {
        var have = Net("198.51.100.0/24");
        have.Mtu = 1500;
        var spec = new NetworkSpec { Name = "n" };
        var want = NetworkDefinition.Build(spec, "bridge", new List<IPPrefix> { Validation.Cidr("198.51.100.0/24") }, have.Id);
        want.Mtu = 1500;
        Assert.Null(NetworkDefinition.Difference(have, want, spec));
        spec.Subnet = new[] { "203.0.113.0/24" };
        want = NetworkDefinition.Build(spec, "bridge", NetworkDefinition.ParseSubnets(spec.Subnet), have.Id);
        want.Mtu = 1500;
        Assert.Equal("Subnet", NetworkDefinition.Difference(have, want, spec)?.Setting);
    }
}
