using VNet.Core.Links;
using VNet.Core.Networks;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// S10 with Docker: a container on Docker's default bridge (which has no embedded DNS: its
/// /etc/resolv.conf is the host's) joined to a VNet network resolves the network's names with its
/// own busybox nslookup, and the network's members resolve it. Until Connect -Container lands, the
/// test joins the container's namespace (/proc/PID/ns/net) the way Connect will.
/// </summary>
[Collection("VNet agent")]
public class DnsDockerTests : LiveTest, IClassFixture<DockerFixture>
{
    private readonly DockerFixture _d;
    private readonly LocalNetworkStore _store = new();
    private readonly List<ContainerEndpoint> _endpoints = new();
    private ContainerNetwork? _net;

    public DnsDockerTests(DockerFixture d)
    {
        _d = d;
        Skip.If(d.Socket == null, d.Why);
    }

    private ContainerEndpoint Join(string display, string nsPath, string inside, int host, string name, bool route)
    {
        string hostIf = L("v" + _endpoints.Count);
        Ctx.Veths.Create(new VethSpec { Name = hostIf, PeerName = inside, PeerNamespace = nsPath, Bridge = _net!.BridgeName });
        Ctx.Addresses.Add(inside, $"203.0.113.{64 + host}/27", nsPath);
        if (route) Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "203.0.113.65", Namespace = nsPath });
        var e = new ContainerEndpoint
        {
            Id = Guid.NewGuid().ToString("N"), Network = _net.Name, NetworkId = _net.Id, State = EndpointState.Active,
            Namespace = nsPath, NamespacePath = nsPath, NamespaceInode = Ctx.Resolve(nsPath).Inode, Container = display,
            InterfaceName = inside, HostInterface = hostIf, Addresses = { $"203.0.113.{64 + host}/27" }, Names = { name },
            Created = DateTime.UtcNow,
        };
        _store.SaveEndpoint(e);
        NameService.EndpointConnected(Ctx, _store, _net, e);
        _endpoints.Add(e);
        return e;
    }

    [SkippableFact]
    public void AContainerOnDockersDefaultBridgeResolvesTheNetworksNames()
    {
        string br = L("br");
        Ctx.Bridges.Create(br);
        Ctx.Addresses.Add(br, "203.0.113.65/27");
        _net = new ContainerNetwork { Name = P + "dk", Id = Guid.NewGuid().ToString("N"), BridgeName = br, Created = DateTime.UtcNow };
        _net.Subnets.Add(new NetworkSubnet { Subnet = "203.0.113.64/27", Gateway = "203.0.113.65" });
        _store.SaveNetwork(_net);

        string a = Ns("a");
        Join(a, "/run/netns/" + a, "eth0", 10, a, route: true);
        string pid = _d.Docker("inspect", "-f", "{{.State.Pid}}", "db");
        Join("db", $"/proc/{pid}/ns/net", "eth1", 11, "db", route: false);

        // Inside the container: Docker's resolv.conf (the host's servers), Docker's busybox.
        Assert.DoesNotContain("127.0.0.11", _d.Docker("exec", "db", "cat", "/etc/resolv.conf"));
        Assert.Contains("203.0.113.74", _d.Docker("exec", "db", "busybox", "nslookup", a));
        Assert.Contains("203.0.113.74", _d.Docker("exec", "db", "busybox", "nslookup", $"{a}.{_net.Name}"));
        // And the member resolves the container by its name.
        Assert.Equal("203.0.113.75", Run("ip", "netns", "exec", a, "dig", "+short", "+time=2", "+tries=1", "db").Out.Trim());
    }

    public override void Dispose()
    {
        foreach (var e in _endpoints)
        {
            _store.DeleteEndpoint(e.Network, e.Id);
            try { NameService.EndpointDisconnected(Ctx, _store, _net!, e); } catch (VNetException) { }
        }
        if (_net != null)
        {
            _store.DeleteNetwork(_net.Name);
            NameService.NetworkRemoved(Ctx, _store, _net);
        }
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
