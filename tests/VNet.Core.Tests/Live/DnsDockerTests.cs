using VNet.Core.Networks;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// S10 with Docker, through NetworkService.Connect as Connect-ContainerNetwork -Container does it:
/// a container on Docker's default bridge (which has no embedded DNS: its /etc/resolv.conf is the
/// host's) joins a VNet network, resolves the network's names with its own busybox nslookup, the
/// members resolve it, and Disconnect leaves Docker's eth0 and routes as they were. Then the same
/// scenario made with `docker network create` / `docker run --network` / `docker network connect`
/// and with VNet, side by side: the same observable results. VNet's networks use 198.51.100.0/24 and
/// 192.0.2.0/24 (Docker's own bridge is on 203.0.113.0/24).
/// </summary>
[Collection("VNet agent")]
public class DnsDockerTests : LiveTest, IClassFixture<DockerFixture>
{
    private readonly DockerFixture _d;
    private readonly LocalNetworkStore _store = new();
    private readonly NetworkService _nets;
    private readonly List<string> _networks = new();
    private readonly List<string> _dockerNetworks = new();
    private readonly List<string> _containers = new();

    public DnsDockerTests(DockerFixture d)
    {
        _d = d;
        _nets = new NetworkService(Ctx, _store);
        Skip.If(d.Socket == null, d.Why);
    }

    private ContainerNetwork Net(string suffix, string subnet)
    {
        var n = _nets.Create(new NetworkSpec { Name = P + suffix, Subnet = new[] { subnet } });
        _networks.Add(n.Name);
        return n;
    }

    private ContainerEndpoint Join(ContainerNetwork n, EndpointTarget t, string ip, params string[] aliases) =>
        _nets.Connect(new ConnectSpec { Network = n.Name, Target = t, IPAddress = new[] { ip }, Alias = aliases });

    /// <summary>docker, with its exit code (the fixture's Docker throws on failure).</summary>
    private (int Code, string Out) DockerRun(params string[] args) =>
        DockerFixture.Sh(Array.Empty<(string, string)>(), "docker", new[] { "-H", "unix://" + _d.Socket }.Concat(args).ToArray());

    private static string Dig(string ns, string name) =>
        Run("ip", "netns", "exec", ns, "dig", "+short", "+time=2", "+tries=1", name).Out.Trim();

    [SkippableFact]
    public void AContainerOnDockersDefaultBridge_JoinsResolvesAndLeavesDockersEth0Alone()
    {
        var net = Net("dk", "198.51.100.64/27");
        string a = Ns("a");
        Join(net, new EndpointTarget { Namespace = a }, "198.51.100.74");
        string eth0Before = _d.Docker("exec", "db", "ip", "addr", "show", "eth0");
        string routesBefore = _d.Docker("exec", "db", "ip", "route");
        Assert.Contains("default via 203.0.113.1 dev eth0", routesBefore);

        var ep = Join(net, new EndpointTarget { Container = "db" }, "198.51.100.75", "database");
        Assert.Equal("db", ep.Container);
        Assert.Equal("eth1", ep.InterfaceName);
        Assert.Contains("inet 198.51.100.75/27", _d.Docker("exec", "db", "ip", "addr", "show", "eth1"));
        // Docker's way out stays: the container keeps its default route through eth0.
        Assert.Contains("default via 203.0.113.1 dev eth0", _d.Docker("exec", "db", "ip", "route"));

        // Inside the container: Docker's resolv.conf (the host's servers), Docker's busybox.
        Assert.DoesNotContain("127.0.0.11", _d.Docker("exec", "db", "cat", "/etc/resolv.conf"));
        Assert.Contains("198.51.100.74", _d.Docker("exec", "db", "busybox", "nslookup", a));
        Assert.Contains("198.51.100.74", _d.Docker("exec", "db", "busybox", "nslookup", $"{a}.{net.Name}"));
        // The members resolve the container by its name and alias, and reach it by name.
        Assert.Equal("198.51.100.75", Dig(a, "db"));
        Assert.Equal("198.51.100.75", Dig(a, "database"));
        Assert.Equal(0, Run("ip", "netns", "exec", a, "ping", "-c1", "-W2", "db").Code);

        Assert.True(_nets.Disconnect(net.Name, new EndpointTarget { Container = "db" }));
        Assert.Contains("NXDOMAIN", Run("ip", "netns", "exec", a, "dig", "+time=2", "+tries=1", "db").Out);
        Assert.NotEqual(0, DockerRun("exec", "db", "ip", "link", "show", "eth1").Code);
        Assert.Equal(eth0Before, _d.Docker("exec", "db", "ip", "addr", "show", "eth0"));
        Assert.Equal(routesBefore, _d.Docker("exec", "db", "ip", "route"));
    }

    /// <summary>What a user checks: a name resolves from a member, a member of another network neither
    /// resolves nor reaches it, an overlapping subnet is refused, and `network connect` brings the
    /// other one in.</summary>
    private sealed record Observed(bool Resolves, bool OtherResolves, bool OtherReaches, bool OverlapRefused, bool ResolvesAfterConnect);

    [SkippableFact]
    public void TheSameScenarioWithDockerAndWithVNet_GivesTheSameResults()
    {
        // Docker: two user-defined networks, two members on one, one on the other.
        string d1 = P + "d1", d2 = P + "d2", d3 = P + "d3", dn1 = P + "dn1", dn2 = P + "dn2";
        _d.Docker("network", "create", "--subnet", "198.51.100.128/27", dn1); _dockerNetworks.Add(dn1);
        _d.Docker("network", "create", "--subnet", "198.51.100.160/27", dn2); _dockerNetworks.Add(dn2);
        foreach (var (c, n) in new[] { (d1, dn1), (d2, dn1), (d3, dn2) })
        {
            _d.Docker("run", "-d", "--name", c, "--network", n, "vnet-busybox", "sleep", "3600");
            _containers.Add(c);
        }
        string d1Ip = _d.Docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + dn1 + "\").IPAddress}}", d1);
        var overlap = DockerRun("network", "create", "--subnet", "198.51.100.128/28", P + "dn3");
        if (overlap.Code == 0) _dockerNetworks.Add(P + "dn3");
        bool DockerResolves(string c) => DockerRun("exec", c, "busybox", "nslookup", d1).Out.Contains(d1Ip);
        var docker = new Observed(
            DockerResolves(d2),
            DockerResolves(d3),
            DockerRun("exec", d3, "ping", "-c1", "-W2", d1Ip).Code == 0,
            overlap.Code != 0,
            false);
        _d.Docker("network", "connect", dn1, d3);
        docker = docker with { ResolvesAfterConnect = DockerResolves(d3) };

        // VNet: the same with namespaces.
        var n1 = Net("v1", "192.0.2.128/27");
        var n2 = Net("v2", "192.0.2.160/27");
        string v1 = Ns("v1"), v2 = Ns("v2"), v3 = Ns("v3");
        Join(n1, new EndpointTarget { Namespace = v1 }, "192.0.2.140");
        Join(n1, new EndpointTarget { Namespace = v2 }, "192.0.2.141");
        Join(n2, new EndpointTarget { Namespace = v3 }, "192.0.2.170");
        bool refused;
        try { Net("v3", "192.0.2.128/28"); refused = false; }
        catch (VNetException e) when (e.ErrorId == "SubnetOverlap") { refused = true; }
        var vnet = new Observed(
            Dig(v2, v1) == "192.0.2.140",
            Dig(v3, v1) == "192.0.2.140",
            Run("ip", "netns", "exec", v3, "ping", "-c1", "-W2", "192.0.2.140").Code == 0,
            refused,
            false);
        Join(n1, new EndpointTarget { Namespace = v3 }, "192.0.2.142");
        vnet = vnet with { ResolvesAfterConnect = Dig(v3, v1) == "192.0.2.140" };

        Assert.Equal(new Observed(true, false, false, true, true), docker);
        Assert.Equal(docker, vnet);
    }

    public override void Dispose()
    {
        foreach (var n in _networks) { try { _nets.Remove(n, force: true); } catch (VNetException) { } }
        if (_d.Socket != null)
        {
            if (_containers.Count > 0) DockerRun(new[] { "rm", "-f" }.Concat(_containers).ToArray());
            foreach (var n in _dockerNetworks) DockerRun("network", "rm", n);
        }
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
