using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using VNet.Core.Networks;
using VNet.Core.Networks.Cluster;
using Xunit;

namespace VNet.Core.Tests.Live.Etcd;

/// <summary>
/// The cluster store (#11) against a real etcd started by the test. "Hosts" are store clients with
/// their own HostId and their own local state folders, all pointed at the same cluster, so races
/// between hosts are races between these clients. In the networks collection: the tests change
/// environment variables (VNET_CONFIG_DIR) as the network tests do.
/// </summary>
[Collection("networks")]
public sealed class EtcdStoreTests : LiveTest
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vnet-es-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<IDisposable> _dispose = new();
    private readonly List<(NetworkService Svc, string Net)> _made = new();

    private EtcdTestCluster Cluster(int members = 1)
    {
        var c = new EtcdTestCluster(members);
        _dispose.Add(c);
        return c;
    }

    private sealed record TestHost(NetworkService Svc, CompositeNetworkStore Store, EtcdNetworkStore Etcd, LocalNetworkStore Local);

    private TestHost Host(string id, IReadOnlyList<string> endpoints)
    {
        var local = new LocalNetworkStore(Path.Combine(_root, id, "state"), Path.Combine(_root, id, "run"));
        var settings = new StoreSettings { Endpoints = endpoints.ToList(), HostId = id, HostName = id };
        var comp = new CompositeNetworkStore(local, settings);
        _dispose.Add(comp);
        return new TestHost(new NetworkService(Ctx, comp), comp, (EtcdNetworkStore)comp.Cluster!, local);
    }

    private ContainerNetwork Overlay(TestHost h, string name, string subnet, int? vni = null)
    {
        // Its own context: the tests call this from parallel threads.
        var n = OnOwnContext(h, svc => svc.Create(new NetworkSpec { Name = name, Driver = "overlay", Subnet = new[] { subnet }, Vni = vni }));
        lock (_made) _made.Add((h.Svc, name));
        return n;
    }

    /// <summary>
    /// The same host's store from another thread: a NetContext (its sockets and namespace handles)
    /// belongs to one thread at a time, as each cmdlet call and each pwsh process has its own.
    /// </summary>
    private static T OnOwnContext<T>(TestHost h, Func<NetworkService, T> work)
    {
        using var ctx = new NetContext();
        return work(new NetworkService(ctx, h.Store));
    }

    public override void Dispose()
    {
        foreach (var (svc, net) in _made)
            try { svc.Remove(net, force: true); } catch (VNetException) { }
        foreach (var d in Enumerable.Reverse(_dispose)) d.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        base.Dispose();
    }

    private static ContainerEndpoint NewEndpoint(ContainerNetwork net, string id) => new()
    {
        Id = id, Network = net.Name, NetworkId = net.Id, State = EndpointState.Pending, Namespace = id,
        OwnerProcessId = Environment.ProcessId, Created = DateTime.UtcNow,
    };

    [SkippableFact]
    public void Settings_round_trip_through_store_json()
    {
        string old = Environment.GetEnvironmentVariable(StateRoots.ConfigEnv) ?? "";
        Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, Path.Combine(_root, "config"));
        try
        {
            Assert.Null(StoreSettings.Load());
            new StoreSettings
            {
                Endpoints = { "http://192.0.2.11:2379", "http://192.0.2.12:2379" }, AdvertiseAddress = "192.0.2.21",
                HostId = "abc123", HostName = "h1", UserName = "vnet", PasswordFile = "/etc/vnet/store.password",
            }.Save();
            var s = StoreSettings.Load()!;
            Assert.Equal(new[] { "http://192.0.2.11:2379", "http://192.0.2.12:2379" }, s.Endpoints);
            Assert.Equal(("192.0.2.21", "abc123", "h1", "vnet"), (s.AdvertiseAddress, s.HostId, s.HostName, s.UserName));
            File.WriteAllText(StoreSettings.FilePath, "{ not json");
            Assert.Equal("StoreSettingsInvalid", Assert.Throws<VNetException>(() => StoreSettings.Load()).ErrorId);
        }
        finally { Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, old == "" ? null : old); }
    }

    [SkippableFact]
    public void Unreachable_store_fails_fast_naming_endpoints_and_leaves_local_networks_working()
    {
        var h = Host("dead", new[] { "http://127.0.0.1:1", "http://127.0.0.1:3" });
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<VNetException>(() => Overlay(h, P + "ov", "198.51.100.0/24"));
        Assert.Equal("StoreUnavailable", e.ErrorId);
        Assert.Contains("http://127.0.0.1:1", e.Message);
        Assert.Contains("http://127.0.0.1:3", e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        Assert.False(Directory.Exists(Path.Combine(_root, "dead", "state", "networks")) && Directory.EnumerateFiles(Path.Combine(_root, "dead", "state", "networks")).Any());

        // A local network still works, and a list shows it with one warning about the overlay ones.
        var local = h.Svc.Create(new NetworkSpec { Name = P + "none", Driver = "none" });
        _made.Add((h.Svc, local.Name));
        var d = new Diagnostics();
        var list = h.Svc.List(null, d);
        Assert.Contains(list, n => n.Name == local.Name);
        Assert.Single(d.Warnings);
        Assert.Contains("StoreUnavailable", ((CompositeNetworkStore)h.Svc.Store).ClusterReadFailure!.ErrorId);
    }

    [SkippableFact]
    public void Overlay_without_a_store_is_refused_naming_the_network()
    {
        var local = new LocalNetworkStore(Path.Combine(_root, "n", "state"), Path.Combine(_root, "n", "run"));
        var svc = new NetworkService(Ctx, new CompositeNetworkStore(local, settings: null));
        var e = Assert.Throws<VNetException>(() => svc.Create(new NetworkSpec { Name = P + "ov", Driver = "overlay", Subnet = new[] { "198.51.100.0/24" } }));
        Assert.Equal("StoreNotSet", e.ErrorId);
        Assert.Contains(P + "ov", e.Message);
        Assert.Empty(local.ListNetworks());
    }

    [SkippableFact]
    public void A_store_that_answers_too_slowly_is_a_timeout_not_a_lost_quorum()
    {
        var c = Cluster();
        // A deadline no call can meet, on a healthy one-member cluster: the member answers and has a
        // leader, so the user is told the store was slow (and how to allow more time), not that it
        // lost its quorum, nor that nobody answered.
        string? old = Environment.GetEnvironmentVariable(EtcdConnection.TimeoutEnv);
        Environment.SetEnvironmentVariable(EtcdConnection.TimeoutEnv, "0.0001");
        try
        {
            var h = Host("slow", c.Endpoints);
            var e = Assert.Throws<VNetException>(() => Overlay(h, P + "slow", "198.51.100.0/24"));
            Assert.Equal("StoreTimeout", e.ErrorId);
            Assert.Equal(VNetErrorCategory.OperationTimeout, e.Category);
            Assert.Contains(c.Endpoints[0], e.Message);
            Assert.Contains(EtcdConnection.TimeoutEnv, e.Message);
        }
        finally { Environment.SetEnvironmentVariable(EtcdConnection.TimeoutEnv, old); }
        // Given its usual time, the same cluster takes the network.
        var h2 = Host("ok", c.Endpoints);
        Assert.Equal("global", Overlay(h2, P + "slow", "198.51.100.0/24").Scope);
    }

    [SkippableFact]
    public void Racing_creates_of_one_name_on_two_hosts_make_one_network()
    {
        var c = Cluster();
        var a = Host("ha", c.Endpoints);
        var b = Host("hb", c.Endpoints);
        var ok = new ConcurrentBag<ContainerNetwork>();
        var errors = new ConcurrentBag<string>();
        Racers.Run(8, i =>
        {
            var h = i % 2 == 0 ? a : b;
            try { ok.Add(OnOwnContext(h, svc => svc.Create(new NetworkSpec { Name = P + "race", Driver = "overlay", Subnet = new[] { "198.51.100.0/24" } }))); }
            catch (VNetException e) { errors.Add(e.ErrorId); }
        });
        _made.Add((a.Svc, P + "race"));
        Assert.Single(ok);
        Assert.All(errors, id => Assert.Equal("NetworkExists", id));
        Assert.Single(a.Etcd.ListNetworks(), n => n.Name == P + "race");
        Assert.Equal("global", b.Svc.Get(P + "race").Scope);
    }

    [SkippableFact]
    public void Vnis_are_unique_under_concurrency_and_a_taken_one_is_refused()
    {
        var c = Cluster();
        var hosts = new[] { Host("ha", c.Endpoints), Host("hb", c.Endpoints) };
        var made = new ConcurrentBag<ContainerNetwork>();
        Racers.Run(10, i =>
        {
            var h = hosts[i % 2];
            made.Add(OnOwnContext(h, svc => svc.Create(new NetworkSpec { Name = $"{P}v{i}", Driver = "overlay", Subnet = new[] { $"198.18.{i}.0/24" } })));
            lock (_made) _made.Add((h.Svc, $"{P}v{i}"));
        });
        var vnis = made.Select(n => int.Parse(n.Options["vnet.vni"])).OrderBy(v => v).ToList();
        Assert.Equal(Enumerable.Range(4096, 10), vnis);

        var holder = made.First(n => n.Options["vnet.vni"] == "4100");
        var e = Assert.Throws<VNetException>(() => Overlay(hosts[1], P + "vx", "198.18.50.0/24", vni: 4100));
        Assert.Equal("VniInUse", e.ErrorId);
        Assert.Contains(holder.Name, e.Message);

        // A given VNI raced by two hosts: one wins, the other is told who has it.
        var results = new ConcurrentBag<string>();
        Racers.Run(2, i =>
        {
            try { Overlay(hosts[i], $"{P}g{i}", $"198.18.{60 + i}.0/24", vni: 7000); results.Add("ok"); }
            catch (VNetException x) { results.Add(x.ErrorId); }
        });
        Assert.Equal(new[] { "VniInUse", "ok" }, results.OrderBy(r => r, StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Overlapping_subnets_are_refused_across_hosts_and_against_local_networks()
    {
        var c = Cluster();
        var hosts = new[] { Host("ha", c.Endpoints), Host("hb", c.Endpoints) };
        var subnets = new[] { "203.0.113.0/24", "203.0.113.0/25", "203.0.113.128/25", "203.0.113.64/26", "203.0.113.0/24", "203.0.113.192/27" };
        var ok = new ConcurrentBag<string>();
        var errors = new ConcurrentBag<string>();
        Racers.Run(subnets.Length, i =>
        {
            try { Overlay(hosts[i % 2], $"{P}o{i}", subnets[i]); ok.Add(subnets[i]); }
            catch (VNetException e) { errors.Add(e.ErrorId); }
        });
        // Every pair overlaps except /25 + /25 (and what sits inside either): at most those two can win together.
        var won = ok.Select(s => Validation.Cidr(s)).ToList();
        for (int i = 0; i < won.Count; i++)
            for (int j = i + 1; j < won.Count; j++)
                Assert.False(SubnetMath.Overlaps(won[i], won[j]), $"{won[i]} and {won[j]} both created");
        Assert.All(errors, id => Assert.Equal("SubnetOverlap", id));

        // A local network of host a against overlay networks, both ways.
        var local = hosts[0].Svc.Create(new NetworkSpec { Name = P + "lb", Driver = "bridge", Subnet = new[] { "192.0.2.0/25" } });
        _made.Add((hosts[0].Svc, local.Name));
        var e1 = Assert.Throws<VNetException>(() => Overlay(hosts[0], P + "ol", "192.0.2.0/24"));
        Assert.Equal("SubnetOverlap", e1.ErrorId);
        Assert.Contains(local.Name, e1.Message);
        var e2 = Assert.Throws<VNetException>(() => hosts[1].Svc.Create(new NetworkSpec { Name = P + "lb2", Driver = "bridge", Subnet = new[] { won[0].ToString() } }));
        Assert.Equal("SubnetOverlap", e2.ErrorId);
    }

    [SkippableFact]
    public void One_reservation_is_one_transaction_and_150_from_three_hosts_get_150_addresses()
    {
        var c = Cluster();
        var hosts = new[] { Host("ha", c.Endpoints), Host("hb", c.Endpoints), Host("hc", c.Endpoints) };
        var net = Overlay(hosts[0], P + "ips", "198.51.100.0/24");
        var empty = new Dictionary<NetworkSubnet, IPAddress>();

        long before = hosts[1].Etcd.Writes;
        var first = NewEndpoint(net, "first");
        Assert.Equal(0, Ipam.Reserve(hosts[1].Store, net, first, empty));
        Assert.Equal(1, hosts[1].Etcd.Writes - before);
        Assert.Equal("hb", hosts[1].Etcd.GetEndpoint(net.Name, "first")!.Host);

        long writesBefore = hosts.Sum(h => h.Etcd.Writes);
        long conflictsBefore = hosts.Sum(h => h.Etcd.ReserveConflicts);
        var got = new ConcurrentBag<string>();
        int lost = 0;
        // 3 hosts × 50 threads, all started before any reserves.
        Racers.Run(150, i =>
        {
            var ep = NewEndpoint(net, $"ep{i:D3}");
            Interlocked.Add(ref lost, Ipam.Reserve(hosts[i % 3].Store, net, ep, empty));
            got.Add(ep.Addresses.Single());
        });
        Assert.Equal(150, got.Distinct().Count());
        Assert.DoesNotContain(first.Addresses[0], got);
        Assert.Equal(151, hosts[2].Etcd.Leases(net.Name).Count);
        Assert.Equal(151, hosts[2].Etcd.ListEndpoints(net.Name).Count);
        // One transaction per reservation plus one per lost race, nothing else.
        Assert.Equal(150 + lost, hosts.Sum(h => h.Etcd.Writes) - writesBefore);
        Assert.Equal(lost, hosts.Sum(h => h.Etcd.ReserveConflicts) - conflictsBefore);
        Assert.True(lost < 150 * 10, $"{lost} lost races for 150 reservations");

        // A static address someone holds: AddressInUse naming the holder.
        var held = IPAddress.Parse(first.Addresses[0].Split('/')[0]);
        var e = Assert.Throws<VNetException>(() => Ipam.Reserve(hosts[0].Store, net, NewEndpoint(net, "st"), new Dictionary<NetworkSubnet, IPAddress> { [net.Subnets[0]] = held }));
        Assert.Equal("AddressInUse", e.ErrorId);
    }

    [SkippableFact]
    public void Connect_on_an_overlay_network_writes_twice_and_disconnect_removes_it()
    {
        var c = Cluster();
        var h = Host("ha", c.Endpoints);
        var net = Overlay(h, P + "cn", "198.51.100.0/24");
        string ns = Ns("c1");
        long before = h.Etcd.Writes;
        var ep = h.Svc.Connect(new ConnectSpec { Network = net.Name, Target = new EndpointTarget { Namespace = ns } });
        Assert.Equal(2, h.Etcd.Writes - before);
        var stored = h.Etcd.GetEndpoint(net.Name, ep.Id)!;
        Assert.Equal((EndpointState.Active, "ha"), (stored.State, stored.Host));
        Assert.Equal(ep.Id, h.Etcd.AddressHolder(net.Name, IPAddress.Parse(ep.Addresses[0].Split('/')[0])));
        var snap = h.Etcd.Snapshot();
        Assert.Contains(snap.Networks, n => n.Name == net.Name);
        Assert.Contains(snap.Endpoints, e => e.Id == ep.Id);

        // Another host whose namespace has the same inode (namespace inodes repeat across hosts; here
        // it is the very same namespace): its own endpoint, not this one's taken over or released.
        var b = Host("hb", c.Endpoints);
        var epB = b.Svc.Connect(new ConnectSpec { Network = net.Name, Target = new EndpointTarget { Namespace = ns } });
        Assert.NotEqual(ep.Id, epB.Id);
        Assert.NotEqual(ep.Addresses[0], epB.Addresses[0]);
        Assert.Equal(new[] { "ha", "hb" }, h.Etcd.ListEndpoints(net.Name).Select(e => e.Host!).OrderBy(x => x, StringComparer.Ordinal));
        // Repair on host a leaves host b's endpoint (and its lease) alone.
        h.Svc.Repair(net.Name);
        Assert.NotNull(h.Etcd.GetEndpoint(net.Name, epB.Id));

        Assert.True(h.Svc.Disconnect(net.Name, new EndpointTarget { Namespace = ns }));
        Assert.Null(h.Etcd.GetEndpoint(net.Name, ep.Id));
        Assert.Single(h.Etcd.Leases(net.Name));
        Assert.True(b.Svc.Disconnect(net.Name, new EndpointTarget { Namespace = ns }));
        Assert.Empty(h.Etcd.Leases(net.Name));
    }

    [SkippableFact]
    public void Reservations_survive_one_dead_member_and_fail_fast_without_quorum()
    {
        var c = Cluster(3);
        var h = Host("ha", c.Endpoints);
        var net = Overlay(h, P + "q", "198.51.100.0/24");
        var empty = new Dictionary<NetworkSubnet, IPAddress>();
        c.Kill(2);
        for (int i = 0; i < 5; i++) Ipam.Reserve(h.Store, net, NewEndpoint(net, $"k{i}"), empty);
        Assert.Equal(5, h.Etcd.Leases(net.Name).Count);

        c.Kill(1);
        var sw = Stopwatch.StartNew();
        var e = Assert.Throws<VNetException>(() => Ipam.Reserve(h.Store, net, NewEndpoint(net, "nq"), empty));
        Assert.Equal("StoreNoQuorum", e.ErrorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        // Nothing half-made: the surviving member (a local, serializable read) has no trace of it.
        var (_, keys) = c.Ctl("get", "--consistency=s", "--prefix", "--keys-only", EtcdNetworkStore.Prefix + "leases/" + net.Name + "/");
        Assert.Equal(5, keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("/nq", c.Ctl("get", "--consistency=s", "--prefix", "--keys-only", EtcdNetworkStore.Prefix + "endpoints/").Out);
    }

    [SkippableFact]
    public void A_reservation_right_after_the_leader_is_killed_goes_through_the_election()
    {
        var c = Cluster(3);
        var h = Host("ha", c.Endpoints);
        var net = Overlay(h, P + "el", "198.51.100.0/24");
        var empty = new Dictionary<NetworkSubnet, IPAddress>();
        Ipam.Reserve(h.Store, net, NewEndpoint(net, "e0"), empty);
        // The member that leads now (etcdctl endpoint status: the one whose id is the leader's).
        using var status = System.Text.Json.JsonDocument.Parse(c.Ctl("endpoint", "status", "-w", "json").Out);
        int leader = -1;
        foreach (var m in status.RootElement.EnumerateArray())
        {
            var st = m.GetProperty("Status");
            if (st.GetProperty("header").GetProperty("member_id").GetUInt64() == st.GetProperty("leader").GetUInt64())
                leader = c.Endpoints.ToList().IndexOf(m.GetProperty("Endpoint").GetString()!);
        }
        Assert.True(leader >= 0, "no leader found");
        c.Kill(leader);
        // At once, and the write first (Ipam's reads would wait out the election themselves): the
        // two others are still electing, which is not a lost quorum.
        var ep = NewEndpoint(net, "e1");
        var a = IPAddress.Parse("198.51.100.200");
        ep.Addresses.Add("198.51.100.200/24");
        Assert.True(h.Etcd.TryReserve(ep, new[] { a }, Array.Empty<IPAddress>(), out var conflict), $"conflict {conflict}");
        Assert.Equal(2, h.Etcd.Leases(net.Name).Count);
        Assert.Equal("e1", h.Etcd.AddressHolder(net.Name, a));
        Assert.NotNull(h.Etcd.GetEndpoint(net.Name, "e1"));
    }

    [SkippableFact]
    public void A_watch_reports_changes_and_breaks_once_after_compaction()
    {
        var c = Cluster();
        var h = Host("ha", c.Endpoints);
        var snap = h.Etcd.Snapshot();
        var changed = new ManualResetEventSlim();
        using (h.Etcd.Watch(snap.Revision, _ => changed.Set(), _ => { }))
        {
            Overlay(h, P + "w1", "198.51.100.0/24");
            Assert.True(changed.Wait(TimeSpan.FromSeconds(10)), "no change reported");
        }

        Overlay(h, P + "w2", "203.0.113.0/24");
        long now = h.Etcd.Version();
        Assert.Equal(0, c.Ctl("compact", now.ToString()).Code);
        int broken = 0;
        var brokenSeen = new ManualResetEventSlim();
        using (h.Etcd.Watch(snap.Revision, _ => { }, _ => { Interlocked.Increment(ref broken); brokenSeen.Set(); }))
        {
            Assert.True(brokenSeen.Wait(TimeSpan.FromSeconds(10)), "onBroken not called");
            Thread.Sleep(500);
        }
        Assert.Equal(1, broken);
    }

    [SkippableFact]
    public void A_user_and_password_file_authenticate_and_a_wrong_password_is_access_denied()
    {
        var c = Cluster();
        Assert.Equal(0, c.Ctl("user", "add", "root:r00t-pw").Code);
        Assert.Equal(0, c.Ctl("auth", "enable").Code);
        Directory.CreateDirectory(_root);
        string good = Path.Combine(_root, "good.password"), bad = Path.Combine(_root, "bad.password");
        File.WriteAllText(good, "r00t-pw\n");
        File.WriteAllText(bad, "nope");
        var ok = new StoreSettings { Endpoints = c.Endpoints.ToList(), HostId = "ha", UserName = "root", PasswordFile = good };
        using (var store = new EtcdNetworkStore(ok, new LocalNetworkStore(Path.Combine(_root, "a", "state"), Path.Combine(_root, "a", "run"))))
        {
            var svc = new NetworkService(Ctx, store);
            svc.Create(new NetworkSpec { Name = P + "auth", Driver = "overlay", Subnet = new[] { "198.51.100.0/24" } });
            Assert.Single(store.ListNetworks(), n => n.Name == P + "auth");
        }
        var wrong = new StoreSettings { Endpoints = c.Endpoints.ToList(), HostId = "hb", UserName = "root", PasswordFile = bad };
        using (var store = new EtcdNetworkStore(wrong))
        {
            var e = Assert.Throws<VNetException>(() => store.ListNetworks());
            Assert.Equal("StoreAccessDenied", e.ErrorId);
        }
        // Without any user, an etcd with authentication on says so too (not "unreachable").
        using (var store = new EtcdNetworkStore(new StoreSettings { Endpoints = c.Endpoints.ToList(), HostId = "hc" }))
            Assert.Equal("StoreAccessDenied", Assert.Throws<VNetException>(() => store.TryClaimAddress(P + "auth", IPAddress.Parse("198.51.100.9"), "x")).ErrorId);
    }

    [SkippableFact]
    public void A_watch_breaks_once_when_the_store_goes_away()
    {
        var c = Cluster();
        var h = Host("ha", c.Endpoints);
        long rev = h.Etcd.Snapshot().Revision;
        int broken = 0;
        Exception? why = null;
        var seen = new ManualResetEventSlim();
        using (h.Etcd.Watch(rev, _ => { }, e => { why = e; Interlocked.Increment(ref broken); seen.Set(); }))
        {
            Thread.Sleep(300);
            c.Kill(0);
            Assert.True(seen.Wait(TimeSpan.FromSeconds(15)), "onBroken not called after the store died");
            Thread.Sleep(500);
        }
        Assert.Equal(1, broken);
        Assert.NotNull(why);
    }

    [SkippableFact]
    public void A_host_key_lives_while_its_process_does_and_expires_after_the_ttl_when_it_is_killed()
    {
        var c = Cluster();
        var h = Host("ha", c.Endpoints);
        // In this process: Dispose revokes at once.
        var reg = h.Etcd.RegisterHost(new HostRecord { Id = "self", Name = "self", Underlay = "192.0.2.1" }, TimeSpan.FromSeconds(3));
        Assert.Contains(h.Etcd.Snapshot().Hosts, x => x.Id == "self");
        Thread.Sleep(4000);
        Assert.True(reg.Alive);
        Assert.Contains(h.Etcd.Snapshot().Hosts, x => x.Id == "self");
        reg.Dispose();
        Assert.DoesNotContain(h.Etcd.Snapshot().Hosts, x => x.Id == "self");

        // In a child process that is killed: the key goes when the TTL runs out.
        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "VNet.psd1"))) repo = Path.GetDirectoryName(repo)!;
        string script = $$"""
            $ErrorActionPreference = 'Stop'
            Import-Module '{{repo}}/VNet.psd1'
            Add-Type -Path '{{repo}}/out/module/VNet.Core.dll'
            $s = [VNet.Core.Networks.Cluster.StoreSettings]::new(); $s.Endpoints.Add('{{c.Endpoints[0]}}'); $s.HostId = 'child'
            $st = [VNet.Core.Networks.Cluster.EtcdNetworkStore]::new($s, $null)
            $r = $st.RegisterHost([VNet.Core.Networks.Cluster.HostRecord]@{ Id = 'child'; Name = 'child'; Underlay = '192.0.2.9' }, [TimeSpan]::FromSeconds(3))
            'registered'
            Start-Sleep 120
            """;
        string log = Path.Combine(_root, "child.log");
        Directory.CreateDirectory(_root);
        var psi = new ProcessStartInfo("/work/shared/tools/pwsh/pwsh") { RedirectStandardOutput = false, RedirectStandardError = false };
        // Its output to a file: pwsh buffers a redirected stdout, so a pipe would say "registered" only at exit.
        foreach (var a in new[] { "-NoProfile", "-Command", "& {\n" + script + "\n} *> '" + log + "'" }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        try
        {
            var wait = Stopwatch.StartNew();
            while (!(File.Exists(log) && File.ReadAllText(log).Contains("registered")) && !child.HasExited && wait.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(100);
            Assert.True(File.Exists(log) && File.ReadAllText(log).Contains("registered"), "child did not register: " + (File.Exists(log) ? File.ReadAllText(log) : "(no output)"));
            Assert.Contains(h.Etcd.Snapshot().Hosts, x => x.Id == "child");
            Thread.Sleep(4500); // longer than the TTL: kept alive
            Assert.Contains(h.Etcd.Snapshot().Hosts, x => x.Id == "child");
            child.Kill();
            child.WaitForExit();
            var sw = Stopwatch.StartNew();
            while (h.Etcd.Snapshot().Hosts.Any(x => x.Id == "child") && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(200);
            Assert.DoesNotContain(h.Etcd.Snapshot().Hosts, x => x.Id == "child");
            Assert.True(sw.Elapsed > TimeSpan.FromSeconds(1), "gone before the TTL: not the lease that removed it");
        }
        finally { if (!child.HasExited) child.Kill(); }
    }
}
