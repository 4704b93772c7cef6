using System.Diagnostics;
using VNet.Core.Docker;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// A real dockerd (Debian's docker.io) started by tests/docker/dockerd.sh inside the sandbox, in a
/// namespace of its own ("the Docker host"), with two containers: web (busybox httpd published with
/// -p 10080:80) and db. Skipped, saying why, when dockerd cannot start.
/// </summary>
public sealed class DockerFixture : IDisposable
{
    public string Host { get; } = "dk" + Guid.NewGuid().ToString("N")[..5];
    public string? Socket { get; }
    public string? Why { get; }

    public DockerFixture()
    {
        if (!LiveTest.InSandbox || Environment.UserName != "root") { Why = "kernel tests run only inside tests/sandbox.sh"; return; }
        using var ctx = new NetContext();
        ctx.Namespaces.Create(Host);
        var (code, output) = Sh(new[] { ("VNET_DOCKER_NETNS", Host) }, Script("dockerd.sh"));
        if (code != 0) { Why = "dockerd could not start: " + output.Trim(); return; }
        Socket = output.Trim().Split('\n')[^1];
        Environment.SetEnvironmentVariable("DOCKER_HOST", "unix://" + Socket);
        Docker("run", "-d", "--name", "web", "-p", "10080:80", "vnet-busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        Docker("run", "-d", "--name", "db", "vnet-busybox", "sleep", "3600");
    }

    public static string Script(string name)
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "VNet.psd1"))) d = d.Parent;
        return Path.Combine(d!.FullName, "tests", "docker", name);
    }

    public static (int, string) Sh((string, string)[] env, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o + err.Result);
    }

    public string Docker(params string[] args)
    {
        var (code, o) = Sh(Array.Empty<(string, string)>(), "docker", new[] { "-H", "unix://" + Socket }.Concat(args).ToArray());
        if (code != 0) throw new InvalidOperationException($"docker {string.Join(' ', args)}: {o}");
        return o.Trim();
    }

    public void Dispose()
    {
        if (Socket != null)
        {
            try { Docker("rm", "-f", "web", "db"); } catch (InvalidOperationException) { }
            Sh(new[] { ("VNET_DOCKER_NETNS", Host) }, Script("dockerd.sh"), "stop");
            Environment.SetEnvironmentVariable("DOCKER_HOST", null);
        }
        using var ctx = new NetContext();
        ctx.Namespaces.Remove(Host, strict: false);
    }
}

[CollectionDefinition("docker", DisableParallelization = true)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture> { }

[Collection("docker")]
public class DockerTests : LiveTest
{
    private readonly DockerFixture _d;

    public DockerTests(DockerFixture d)
    {
        _d = d;
        Skip.If(d.Why != null, d.Why);
    }

    private string Wget(string ns, string url) => RunIn(ns, "wget", "-q", "-T", "2", "-O", "-", url).Out.Trim();

    [SkippableFact]
    public void NamespacesAndVethsShowTheirContainers()
    {
        var web = DockerClient.Find("web");
        Assert.Equal("vnet-busybox", web.Image);
        var ns = Assert.Single(Ctx.Namespaces.List(), n => n.ContainerName == "web");
        Assert.Equal(web.ShortId, ns.ContainerId);
        Assert.Contains("Docker", ns.Source);
        Assert.Contains(ns.ProcessIds, p => p == web.ProcessId);

        // Seed 002's question in one call: which veth on the Docker host belongs to which container.
        var pairs = Ctx.Veths.List(_d.Host);
        var toWeb = Assert.Single(pairs, v => v.PeerContainer == "web");
        Assert.Equal("eth0", toWeb.PeerName);
        Assert.Equal("docker0", toWeb.Master);
        Assert.Contains(pairs, v => v.PeerContainer == "db");
    }

    [SkippableFact]
    public void NameAContainersNamespaceAndRemoveTheNameOnly()
    {
        string name = $"{P}-web";
        var web = DockerClient.Find("web");
        var named = Ctx.Namespaces.Name(name, web.NamespacePath);
        Assert.Contains(name, Run("ip", "netns", "list").Out);
        Assert.Contains("203.0.113.", Run("ip", "-n", name, "-4", "addr", "show", "eth0").Out);
        Assert.Equal("web", Assert.Single(Ctx.Namespaces.List(new[] { name })).ContainerName);
        Assert.True(Ctx.Namespaces.Remove(name, strict: true));
        // The container's own networking is untouched.
        Assert.Equal("hello from vnet-busybox", Wget(_d.Host, "http://127.0.0.1:10080/"));
        Assert.DoesNotContain(name, Run("ip", "netns", "list").Out);
    }

    [SkippableFact]
    public void AttachAVNetNetworkToARunningContainerAndDetachIt()
    {
        var web = DockerClient.Find("web");
        string routesBefore = Run("nsenter", $"--net={web.NamespacePath}", "ip", "route").Out;
        string br = L("br", _d.Host);
        Ctx.BridgeOperations.Create(br, _d.Host);
        Ctx.Addresses.Add(br, "198.51.100.1/24", _d.Host);
        string c1 = Ns("c1");
        Ctx.Veths.Create(new VethSpec { Name = L("c1", _d.Host), Namespace = _d.Host, PeerName = "eth0", PeerNamespace = c1 });
        Ctx.Bridges.AddPort(br, L("c1", _d.Host), _d.Host);
        Ctx.Addresses.Add("eth0", "198.51.100.10/24", c1);
        // docker network connect, by hand: a second interface in the container on the VNet bridge.
        Ctx.Veths.Create(new VethSpec { Name = L("web", _d.Host), Namespace = _d.Host, PeerName = "eth1", PeerNamespace = web.NamespacePath });
        Ctx.Bridges.AddPort(br, L("web", _d.Host), _d.Host);
        Ctx.Addresses.Add("eth1", "198.51.100.20/24", web.NamespacePath);

        // A VNet namespace talks to the container over the VNet network, through Docker's FORWARD DROP:
        // bridged frames pass FORWARD (br_netfilter), and the bridge's own accept in DOCKER-USER lets
        // them through; no NAT rule or isolation is needed for that.
        Assert.True(Ping(c1, "198.51.100.20"), "c1 reaches the container over the VNet bridge");
        Assert.Equal("hello from vnet-busybox", Wget(c1, "http://198.51.100.20/"));
        Assert.Equal("web", Assert.Single(Ctx.Veths.List(_d.Host), v => v.Name == L("web", _d.Host)).PeerContainer);

        // Detach: Docker's eth0 and routes are as they were, and Docker's publish still answers.
        Assert.True(Ctx.Links.Remove(L("web", _d.Host), _d.Host));
        Assert.DoesNotContain("eth1", Run("nsenter", $"--net={web.NamespacePath}", "ip", "-br", "link").Out);
        Assert.Equal(routesBefore, Run("nsenter", $"--net={web.NamespacePath}", "ip", "route").Out);
        Assert.Equal("hello from vnet-busybox", Wget(_d.Host, "http://127.0.0.1:10080/"));
        Assert.True(Ctx.BridgeOperations.RemoveLink(br, _d.Host));
        Assert.DoesNotContain($"vnet:switch:{br}", RunIn(_d.Host, "iptables", "-S", "DOCKER-USER").Out);
    }

    private string IptablesSave() =>
        string.Join("\n", RunIn(_d.Host, "iptables-save").Out.Split('\n').Where(l => !l.StartsWith('#')).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\[\d+:\d+\]", "")));

    [SkippableFact]
    public void CoexistenceVNetNetworksBesideDockerLeaveDockersRulesAsTheyWere()
    {
        string before = IptablesSave();
        Assert.Contains(":FORWARD DROP", before);
        // An outside namespace on an uplink of the Docker host.
        string o = Ns("out");
        Ctx.Veths.Create(new VethSpec { Name = L("up", _d.Host), Namespace = _d.Host, PeerName = "eth0", PeerNamespace = o });
        Ctx.Addresses.Add(L("up", _d.Host), "192.0.2.1/24", _d.Host);
        Ctx.Addresses.Add("eth0", "192.0.2.2/24", o);
        // A VNet network with two containers, masquerade and a publish of its own.
        string br = L("br", _d.Host);
        Ctx.BridgeOperations.Create(br, _d.Host);
        Ctx.Addresses.Add(br, "198.51.100.1/24", _d.Host);
        var cs = new[] { Ns("a"), Ns("b") };
        for (int i = 0; i < 2; i++)
        {
            Ctx.Veths.Create(new VethSpec { Name = L("v" + i, _d.Host), Namespace = _d.Host, PeerName = "eth0", PeerNamespace = cs[i] });
            Ctx.Bridges.AddPort(br, L("v" + i, _d.Host), _d.Host);
            Ctx.Addresses.Add("eth0", $"198.51.100.{10 + i}/24", cs[i]);
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "198.51.100.1", Namespace = cs[i] });
        }
        var masq = Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = _d.Host });
        string www = Directory.CreateTempSubdirectory("vnet-www").FullName;
        File.WriteAllText(Path.Combine(www, "index.html"), "hello from a VNet container");
        var srv = Ctx.Namespaces.StartProcess(cs[0], new ProcessStartInfo("busybox") { ArgumentList = { "httpd", "-f", "-p", "8080", "-h", www } });
        try
        {
            var pub = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "18080", ToAddress = "198.51.100.10", ToPort = "8080", Namespace = _d.Host });
            Assert.Contains("vnet:forward:", RunIn(_d.Host, "iptables", "-S", "DOCKER-USER").Out);
            Assert.True(Ping(cs[0], "198.51.100.11"), "VNet bridge switches despite Docker's FORWARD DROP");
            Assert.True(Ping(cs[0], "192.0.2.2"), "VNet network reaches the outside");
            Assert.Equal("hello from a VNet container", Wget(o, "http://192.0.2.1:18080/"));
            // Docker's containers and publish keep working.
            Assert.Equal("hello from vnet-busybox", Wget(o, "http://192.0.2.1:10080/"));
            Assert.Equal(0, RunIn(_d.Host, "nsenter", $"--net={DockerClient.Find("db").NamespacePath}", "ping", "-c", "1", "-W", "2", "203.0.113.1").Code);

            Ctx.Nat.Remove(pub.Id, _d.Host);
        }
        finally { srv.Kill(); Directory.Delete(www, true); }
        Ctx.Nat.Remove(masq.Id, _d.Host);
        Assert.True(Ctx.BridgeOperations.RemoveLink(br, _d.Host)); // the bridge's own switching accept goes with it
        Assert.Equal(before, IptablesSave());
    }

    [SkippableFact]
    public void RestartingDockerdLeavesVNetNetworksWorking()
    {
        string br = L("br", _d.Host);
        Ctx.BridgeOperations.Create(br, _d.Host);
        var cs = new[] { Ns("r1"), Ns("r2") };
        for (int i = 0; i < 2; i++)
        {
            Ctx.Veths.Create(new VethSpec { Name = L("r" + i, _d.Host), Namespace = _d.Host, PeerName = "eth0", PeerNamespace = cs[i] });
            Ctx.Bridges.AddPort(br, L("r" + i, _d.Host), _d.Host);
            Ctx.Addresses.Add("eth0", $"198.51.100.{30 + i}/24", cs[i]);
        }
        // The bridge's own switching accept (DOCKER-USER) lets it work under Docker's FORWARD DROP.
        Assert.Contains($"vnet:switch:{br}", RunIn(_d.Host, "iptables", "-S", "DOCKER-USER").Out);
        try
        {
            Assert.True(Ping(cs[0], "198.51.100.31"));
            DockerFixture.Sh(new[] { ("VNET_DOCKER_NETNS", _d.Host) }, DockerFixture.Script("dockerd.sh"), "stop");
            Assert.True(Ping(cs[0], "198.51.100.31"), "VNet's bridge works with dockerd gone");
            var (code, o) = DockerFixture.Sh(new[] { ("VNET_DOCKER_NETNS", _d.Host) }, DockerFixture.Script("dockerd.sh"));
            Assert.True(code == 0, o);
            _d.Docker("start", "web", "db");
            Assert.True(Ping(cs[0], "198.51.100.31"), "and after it came back");
            Assert.Equal("hello from vnet-busybox", Wget(_d.Host, "http://127.0.0.1:10080/"));
        }
        finally { Ctx.BridgeOperations.RemoveLink(br, _d.Host); }
        Assert.DoesNotContain($"vnet:switch:{br}", RunIn(_d.Host, "iptables", "-S", "DOCKER-USER").Out);
    }

    [SkippableFact]
    public void AContainerThatDoesNotExistIsNamed()
    {
        var e = Assert.Throws<VNetException>(() => DockerClient.Find("no-such-container"));
        Assert.Equal("ContainerNotFound", e.ErrorId);
        Assert.Contains("no-such-container", e.Message);
    }
}
