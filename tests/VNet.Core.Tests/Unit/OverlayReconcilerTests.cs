using System.Net;
using VNet.Core.Networks;
using VNet.Core.Networks.Agent;
using VNet.Core.Networks.Cluster;
using VNet.Core.Networks.Dns;
using VNet.Core.Networks.Drivers;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>The overlay reconciler's pure half: what each vxlan device should hold, and the difference to what it holds.</summary>
public class OverlayReconcilerTests
{
    internal const string NetId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    internal const string Vx = "vx-0123456789";

    internal static ContainerNetwork Net(string id = NetId, string name = "ov1") => new()
    {
        Name = name, Id = id, Driver = "overlay", Scope = "global", Mtu = 1450,
        Subnets = { new NetworkSubnet { Subnet = "198.51.100.0/24", Gateway = "198.51.100.1" } },
        Options = { [OverlayDriver.VniOption] = "4242" },
    };

    internal static HostRecord Host(string id, string underlay) => new() { Id = id, Name = id, Underlay = underlay, VtepMac = OverlayDriver.VtepMac(id) };

    internal static ContainerEndpoint Ep(string host, string name, string mac, string address, string state = EndpointState.Active, ulong inode = 0, string network = "ov1", string networkId = NetId) => new()
    {
        Id = Guid.NewGuid().ToString("N"), Network = network, NetworkId = networkId, Host = host, State = state, MacAddress = mac,
        Addresses = { address }, Names = { name }, NamespaceInode = inode, NamespacePath = inode != 0 ? "/run/netns/" + name : null,
    };

    private static ClusterSnapshot ThreeHosts() => new()
    {
        Revision = 7,
        Hosts = new[] { Host("a", "192.0.2.11"), Host("b", "192.0.2.12"), Host("c", "192.0.2.13") },
        Networks = new[] { Net() },
        Endpoints = new[]
        {
            Ep("a", "web1", "02:00:00:00:0a:01", "198.51.100.11/24"),
            Ep("b", "db1", "02:00:00:00:0b:01", "198.51.100.21/24"),
            Ep("b", "db2", "02:00:00:00:0B:02", "198.51.100.22/24"),
            Ep("c", "half", "02:00:00:00:0c:01", "198.51.100.31/24", EndpointState.Pending),
            // A host whose lease expired: not in Hosts, so its endpoint is nobody's to reach.
            Ep("d", "ghost", "02:00:00:00:0d:01", "198.51.100.41/24"),
        },
    };

    [Fact]
    public void Desired_has_remote_active_endpoints_of_live_hosts_and_every_remote_vtep()
    {
        var desired = OverlayReconciler.Desired(ThreeHosts(), "a");
        var dev = Assert.Single(desired).Value;
        Assert.Equal(Vx, dev.Device);
        Assert.Equal(new HashSet<OverlayFdb>
        {
            new("02:00:00:00:0b:01", "192.0.2.12"), new("02:00:00:00:0b:02", "192.0.2.12"),
            new(OverlayDriver.VtepMac("b"), "192.0.2.12"), new(OverlayDriver.VtepMac("c"), "192.0.2.13"),
        }, dev.Fdb);
        Assert.Equal(new Dictionary<string, string> { ["198.51.100.21"] = "02:00:00:00:0b:01", ["198.51.100.22"] = "02:00:00:00:0b:02" }, dev.Neighbours);
    }

    [Fact]
    public void Desired_on_another_host_has_the_first_hosts_endpoint_and_never_its_own()
    {
        var dev = OverlayReconciler.Desired(ThreeHosts(), "b")[Vx];
        Assert.Contains(new OverlayFdb("02:00:00:00:0a:01", "192.0.2.11"), dev.Fdb);
        Assert.DoesNotContain(dev.Fdb, e => e.Dst == "192.0.2.12");
        Assert.Equal(new[] { "198.51.100.11" }, dev.Neighbours.Keys);
    }

    [Fact]
    public void Diff_of_the_desired_state_against_itself_is_empty()
    {
        var want = OverlayReconciler.Desired(ThreeHosts(), "a")[Vx];
        var diff = OverlayReconciler.Diff(want, want.Fdb.ToList(), want.Neighbours);
        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Diff_adds_what_is_missing_removes_what_is_extra_and_replaces_a_changed_mac()
    {
        var want = OverlayReconciler.Desired(ThreeHosts(), "a")[Vx];
        var have = new List<OverlayFdb>
        {
            new("02:00:00:00:0b:01", "192.0.2.12"),
            new("02:00:00:00:0b:02", "192.0.2.99"),    // moved host: delete the old, add the new
            new("02:00:00:00:ee:01", "192.0.2.14"),    // an endpoint that left
        };
        var neigh = new Dictionary<string, string> { ["198.51.100.21"] = "02:00:00:00:0b:01", ["198.51.100.22"] = "02:00:00:00:ff:ff", ["198.51.100.99"] = "02:00:00:00:ee:01" };
        var diff = OverlayReconciler.Diff(want, have, neigh);
        Assert.Equal(new[] { new OverlayFdb("02:00:00:00:0b:02", "192.0.2.99"), new OverlayFdb("02:00:00:00:ee:01", "192.0.2.14") }, diff.FdbToRemove);
        Assert.Equal(3, diff.FdbToAdd.Count);
        Assert.Contains(new OverlayFdb("02:00:00:00:0b:02", "192.0.2.12"), diff.FdbToAdd);
        Assert.Equal(new Dictionary<string, string> { ["198.51.100.22"] = "02:00:00:00:0b:02" }, diff.NeighboursToSet);
        Assert.Equal(new[] { "198.51.100.99" }, diff.NeighboursToRemove);
    }

    [Fact]
    public void A_host_gone_from_the_snapshot_takes_its_entries_with_it()
    {
        var full = ThreeHosts();
        var before = OverlayReconciler.Desired(full, "a")[Vx];
        var without = new ClusterSnapshot { Revision = 8, Hosts = full.Hosts.Where(h => h.Id != "b").ToArray(), Networks = full.Networks, Endpoints = full.Endpoints };
        var after = OverlayReconciler.Desired(without, "a")[Vx];
        var diff = OverlayReconciler.Diff(after, before.Fdb.ToList(), before.Neighbours);
        Assert.Equal(3, diff.FdbToRemove.Count);
        Assert.All(diff.FdbToRemove, e => Assert.Equal("192.0.2.12", e.Dst));
        Assert.Equal(2, diff.NeighboursToRemove.Count);
        Assert.Empty(diff.FdbToAdd);
        Assert.Single(after.Fdb); // c's VTEP only
    }

    [Fact]
    public void A_network_removed_from_the_snapshot_has_no_desired_device()
    {
        var s = ThreeHosts();
        var none = new ClusterSnapshot { Revision = 9, Hosts = s.Hosts, Networks = Array.Empty<ContainerNetwork>(), Endpoints = s.Endpoints };
        Assert.Empty(OverlayReconciler.Desired(none, "a"));
    }

    [Fact]
    public void Vtep_mac_is_stable_locally_administered_unicast_and_differs_between_hosts()
    {
        string m = OverlayDriver.VtepMac("3f9a0c");
        Assert.Equal(m, OverlayDriver.VtepMac("3f9a0c"));
        Assert.StartsWith("02:", m);
        Assert.Matches("^02(:[0-9a-f]{2}){5}$", m);
        Assert.NotEqual(m, OverlayDriver.VtepMac("3f9a0d"));
    }

    [Fact]
    public void Names_of_remote_overlay_endpoints_resolve_for_a_local_member_only()
    {
        var s = new ClusterSnapshot
        {
            Revision = 3,
            Hosts = new[] { Host("a", "192.0.2.11"), Host("b", "192.0.2.12") },
            Networks = new[] { Net() },
            Endpoints = new[]
            {
                Ep("a", "web1", "02:00:00:00:0a:01", "198.51.100.11/24", inode: 4026531001),
                // The same inode number on another host is another namespace: it makes no one a member here.
                Ep("b", "db1", "02:00:00:00:0b:01", "198.51.100.21/24", inode: 4026531002),
            },
        };
        var table = NameTable.Load(new EmptyStore(), s, "a");
        Assert.True(table.TryLookup(4026531001, "db1", out var found));
        Assert.Equal(IPAddress.Parse("198.51.100.21"), Assert.Single(found));
        Assert.True(table.TryLookup(4026531001, "db1.ov1", out _));
        Assert.Equal("db1.ov1", table.ReverseLookup(4026531001, IPAddress.Parse("198.51.100.21")));
        Assert.False(table.TryLookup(4026531002, "web1", out _));
        Assert.Equal(new ulong[] { 4026531001 }, table.Members.Select(e => e.NamespaceInode));
    }

    [Fact]
    public void The_resolver_answers_from_the_newest_snapshot_it_was_given()
    {
        using var resolver = new DnsResolver(new EmptyStore(), new UpstreamForwarder("/nonexistent-resolv.conf"));
        Assert.False(resolver.Table.TryLookup(4026531001, "db1", out _));
        var s1 = new ClusterSnapshot
        {
            Revision = 3, Hosts = new[] { Host("a", "192.0.2.11"), Host("b", "192.0.2.12") }, Networks = new[] { Net() },
            Endpoints = new[] { Ep("a", "web1", "02:00:00:00:0a:01", "198.51.100.11/24", inode: 4026531001) },
        };
        resolver.SetOverlay(s1, "a");
        Assert.False(resolver.Table.TryLookup(4026531001, "db1", out _));
        var s2 = new ClusterSnapshot
        {
            Revision = 4, Hosts = s1.Hosts, Networks = s1.Networks,
            Endpoints = s1.Endpoints.Append(Ep("b", "db1", "02:00:00:00:0b:01", "198.51.100.21/24")).ToArray(),
        };
        resolver.SetOverlay(s2, "a");
        Assert.True(resolver.Table.TryLookup(4026531001, "db1", out var a));
        Assert.Equal(IPAddress.Parse("198.51.100.21"), Assert.Single(a));
    }

    /// <summary>A store with no local networks.</summary>
    private sealed class EmptyStore : INetworkStore
    {
        public IDisposable LockNetworks(TimeSpan timeout) => throw new NotSupportedException();
        public IDisposable LockNetwork(string network, TimeSpan timeout) => throw new NotSupportedException();
        public IReadOnlyList<ContainerNetwork> ListNetworks() => Array.Empty<ContainerNetwork>();
        public ContainerNetwork? GetNetwork(string name) => null;
        public void SaveNetwork(ContainerNetwork network) => throw new NotSupportedException();
        public void DeleteNetwork(string name) => throw new NotSupportedException();
        public IReadOnlyList<ContainerEndpoint> ListEndpoints(string network) => Array.Empty<ContainerEndpoint>();
        public ContainerEndpoint? GetEndpoint(string network, string endpointId) => null;
        public void SaveEndpoint(ContainerEndpoint endpoint) => throw new NotSupportedException();
        public void DeleteEndpoint(string network, string endpointId) => throw new NotSupportedException();
        public bool TryClaimAddress(string network, IPAddress address, string endpointId) => throw new NotSupportedException();
        public bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict) => throw new NotSupportedException();
        public string? AddressHolder(string network, IPAddress address) => null;
        public void ReleaseAddress(string network, IPAddress address) => throw new NotSupportedException();
        public IReadOnlyDictionary<IPAddress, string> Leases(string network) => new Dictionary<IPAddress, string>();
        public IPAddress? LastAllocated(string network, System.Net.Sockets.AddressFamily family) => null;
        public void SetLastAllocated(string network, IPAddress address) => throw new NotSupportedException();
        public long Version() => 1;
    }
}
