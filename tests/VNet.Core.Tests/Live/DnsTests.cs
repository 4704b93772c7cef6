using System.Diagnostics;
using VNet.Core.Links;
using VNet.Core.Networks;
using VNet.Core.Networks.Agent;
using VNet.Core.Networks.Dns;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// S10 name resolution with the real clients a user runs inside a member namespace (getent, busybox
/// nslookup, dig), started the ways users start them: `ip netns exec` (resolv.conf from
/// /etc/netns), `nsenter --net` and VNet's own StartProcess (the host's resolv.conf, so the
/// namespace's DNS redirect does the work). Members join through NetworkService.Connect, as
/// Connect-ContainerNetwork does, on the default store the agent reads.
/// </summary>
[Collection("VNet agent")]
public class DnsTests : LiveTest
{
    private readonly LocalNetworkStore _store = new();
    private readonly NetworkService _nets;
    private readonly List<ContainerNetwork> _networks = new();
    private readonly List<Process> _processes = new();

    public DnsTests() => _nets = new NetworkService(Ctx, _store);

    /// <summary>A bridge network on 203.0.113.BASE/27 (its gateway BASE+1), dual stack when an IPv6 subnet is given.</summary>
    private ContainerNetwork Network(string suffix, int @base, string? v6Subnet = null)
    {
        var subnets = new List<string> { $"203.0.113.{@base}/27" };
        if (v6Subnet != null) subnets.Add(v6Subnet);
        var n = _nets.Create(new NetworkSpec { Name = P + suffix, Subnet = subnets.ToArray() });
        _networks.Add(n);
        return n;
    }

    /// <summary>Connect, with the address 203.0.113.BASE+HOST (and an IPv6 one when given) and aliases.</summary>
    private ContainerEndpoint Connect(ContainerNetwork n, string ns, int host, string? v6 = null, params string[] aliases)
    {
        int @base = int.Parse(n.Subnets[0].Subnet.Split('.', '/')[3]);
        var ips = new List<string> { $"203.0.113.{@base + host}" };
        if (v6 != null) ips.Add(v6);
        return _nets.Connect(new ConnectSpec { Network = n.Name, Target = new EndpointTarget { Namespace = ns }, IPAddress = ips.ToArray(), Alias = aliases });
    }

    private void Disconnect(ContainerEndpoint e) =>
        Assert.True(_nets.Disconnect(e.Network, new EndpointTarget { Namespace = e.Namespace ?? e.NamespacePath }));

    private static (int Code, string Out) NetnsExec(string ns, params string[] cmd) => Run("ip", new[] { "netns", "exec", ns }.Concat(cmd).ToArray());
    private static (int Code, string Out) Nsenter(string ns, params string[] cmd) => Run("nsenter", new[] { "--net=/run/netns/" + ns }.Concat(cmd).ToArray());
    private static string[] Dig(params string[] args) => new[] { "dig", "+time=2", "+tries=1" }.Concat(args).ToArray();

    [SkippableFact]
    public void MembersResolveEachOtherByNameAliasAndNetworkName_WithEveryClient()
    {
        var net = Network("n", 160, "2001:db8:160::/64");
        string a = Ns("a"), b = Ns("b");
        Connect(net, a, 10);
        Connect(net, b, 11, "2001:db8:160::11", "web");

        // ip netns exec: resolv.conf from /etc/netns names 127.0.0.11.
        Assert.Contains("nameserver 127.0.0.11", File.ReadAllText($"/etc/netns/{a}/resolv.conf"));
        var g = NetnsExec(a, "getent", "ahostsv4", b);
        Assert.True(g.Code == 0, g.Out);
        Assert.Contains("203.0.113.171", g.Out);
        var ns = NetnsExec(a, "busybox", "nslookup", "web");
        Assert.Contains("203.0.113.171", ns.Out);
        // nsenter: the host's resolv.conf; the redirect in the namespace brings the query to the agent.
        var d = Nsenter(a, Dig("+short", $"{b}.{net.Name}"));
        Assert.Equal("203.0.113.171", d.Out.Trim());
        var d6 = Nsenter(a, Dig("+short", "AAAA", "WEB"));
        Assert.Equal("2001:db8:160::11", d6.Out.Trim());
        // VNet's own StartProcess (Invoke-NetNamespace): no mount namespace, so the redirect again. Case-insensitive.
        var r = RunIn(a, "getent", "ahostsv4", "Web." + net.Name.ToUpperInvariant());
        Assert.True(r.Code == 0, r.Out);
        Assert.Contains("203.0.113.171", r.Out);
        // And over TCP.
        Assert.Equal("203.0.113.170", NetnsExec(b, Dig("+tcp", "+short", a)).Out.Trim());
        // PTR: the primary name qualified by the network, as Docker answers.
        Assert.Equal($"{b}.{net.Name}.", NetnsExec(a, Dig("+short", "-x", "203.0.113.171")).Out.Trim());
        Assert.Contains($"{b}.{net.Name}", NetnsExec(a, "getent", "hosts", "2001:db8:160::11").Out);
        // The redirect is VNet's own table in the namespace, as `nft list ruleset` shows it.
        Assert.Contains("dnat to 127.0.0.11:53", Nsenter(a, "nft", "list", "table", "ip", NamespaceDnsSetup.Table).Out);
    }

    [SkippableFact]
    public void AMemberOfAnotherNetworkNeverResolvesThem()
    {
        var one = Network("x", 192);
        var two = Network("y", 224);
        string a = Ns("a"), b = Ns("b"), c = Ns("c");
        Connect(one, a, 10);
        Connect(one, b, 11, null, "db");
        Connect(two, c, 10);

        var d = NetnsExec(c, Dig(b));
        Assert.Contains("status: NXDOMAIN", d.Out);
        Assert.Contains("status: NXDOMAIN", Nsenter(c, Dig("db")).Out);
        Assert.Contains("status: NXDOMAIN", Nsenter(c, Dig($"db.{one.Name}")).Out);
        Assert.Equal(2, NetnsExec(c, "getent", "hosts", b).Code);
        Assert.DoesNotContain("203.0.113.203", NetnsExec(c, "busybox", "nslookup", "db").Out);
        // Nor does the PTR of one's member answer in two.
        Assert.DoesNotContain(b, NetnsExec(c, Dig("+short", "-x", "203.0.113.203")).Out);
        // c still resolves itself; a does not see c.
        Assert.Equal("203.0.113.234", NetnsExec(c, Dig("+short", c)).Out.Trim());
        Assert.Contains("status: NXDOMAIN", NetnsExec(a, Dig(c)).Out);
    }

    [SkippableFact]
    public void ANameStopsResolvingWhenDisconnectReturnsAndResolvesWhenConnectReturns()
    {
        var net = Network("d", 128);
        string a = Ns("a"), b = Ns("b");
        Connect(net, a, 10);
        var eb = Connect(net, b, 11);
        Assert.Equal("203.0.113.139", NetnsExec(a, Dig("+short", b)).Out.Trim());

        Disconnect(eb);
        Assert.Contains("status: NXDOMAIN", NetnsExec(a, Dig(b)).Out);
        // b is in no network now: its resolv.conf and redirect are gone, and the agent let go of it.
        Assert.False(File.Exists($"/etc/netns/{b}/resolv.conf"));
        Assert.NotEqual(0, Nsenter(b, "nft", "list", "table", "ip", NamespaceDnsSetup.Table).Code);
        Assert.DoesNotContain(AgentClient.Status().Namespaces, n => n.Path == "/run/netns/" + b);

        Connect(net, b, 12);
        Assert.Equal("203.0.113.140", NetnsExec(a, Dig("+short", b)).Out.Trim());
    }

    [SkippableFact]
    public void OtherNamesAreForwardedToTheUpstream()
    {
        // A small upstream of our own in another namespace: dnsmasq answering one name.
        string up = Ns("up");
        string rootEnd = L("u");
        Ctx.Veths.Create(new VethSpec { Name = rootEnd, PeerName = "eth0", PeerNamespace = up });
        Ctx.Addresses.Add(rootEnd, "192.0.2.241/30");
        Ctx.Addresses.Add("eth0", "192.0.2.242/30", up);
        var psi = new ProcessStartInfo("dnsmasq") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-k", "-u", "root", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=192.0.2.242",
                     "--pid-file", "--address=/upstream.example/203.0.113.77" })
            psi.ArgumentList.Add(arg);
        _processes.Add(Ctx.Namespaces.StartProcess(up, psi));
        Assert.True(SpinWait.SpinUntil(() => Run("dig", "+time=1", "+tries=1", "+short", "@192.0.2.242", "upstream.example").Out.Trim() == "203.0.113.77", 10000),
            "the upstream answers directly");
        File.WriteAllText(UpstreamForwarder.SettingFile, "192.0.2.242\n");
        try
        {
            var net = Network("f", 96);
            string a = Ns("a");
            Connect(net, a, 10);
            Assert.Equal("203.0.113.77", NetnsExec(a, Dig("+short", "upstream.example")).Out.Trim());
            Assert.Equal("203.0.113.77", Nsenter(a, Dig("+short", "+tcp", "upstream.example")).Out.Trim());
            var g = RunIn(a, "getent", "ahostsv4", "upstream.example");
            Assert.True(g.Code == 0, g.Out);
            Assert.Contains("203.0.113.77", g.Out);
        }
        finally
        {
            File.Delete(UpstreamForwarder.SettingFile);
        }
    }

    [SkippableFact]
    public void TheAgentIsRestartedAfterKill9AndServesEveryMemberAgain()
    {
        var net = Network("k", 32);
        string a = Ns("a"), b = Ns("b"), c = Ns("c");
        Connect(net, a, 10);
        Connect(net, b, 11);
        int first = AgentClient.Status().ProcessId ?? throw new Xunit.Sdk.XunitException("no agent");
        Assert.Equal(0, Run("kill", "-9", first.ToString()).Code);
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{first}"), 5000), "the killed agent is gone");

        Connect(net, c, 12); // the next call starts a new one
        var status = AgentClient.Status();
        Assert.Equal("Running", status.State);
        Assert.NotEqual(first, status.ProcessId);
        // It opened a and b's listeners from the store, not only c's.
        Assert.Equal("203.0.113.43", NetnsExec(a, Dig("+short", b)).Out.Trim());
        Assert.Equal("203.0.113.44", NetnsExec(b, Dig("+short", c)).Out.Trim());
        Assert.Contains(status.Namespaces, n => n.Path == "/run/netns/" + a && n.Serving);
    }

    [SkippableFact]
    public void TheAgentHoldsNothingOfItsCaller()
    {
        var net = Network("h", 64);
        Connect(net, Ns("a"), 10);
        int pid = AgentClient.Status().ProcessId!.Value;
        // stdin /dev/null, stdout and stderr the log; a session of its own; not our child.
        Assert.Equal("/dev/null", Run("readlink", $"/proc/{pid}/fd/0").Out.Trim());
        Assert.Equal(AgentPaths.Log, Run("readlink", $"/proc/{pid}/fd/1").Out.Trim());
        Assert.Equal(AgentPaths.Log, Run("readlink", $"/proc/{pid}/fd/2").Out.Trim());
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.NotEqual(Environment.ProcessId.ToString(), fields[1]); // ppid
        Assert.Equal(pid.ToString(), fields[3]);                      // session id
        Assert.Equal(AgentClient.ReadPid(), pid);
    }

    [SkippableFact]
    public void TheAgentDoesNotKeepADeletedNamespaceAlive()
    {
        var net = Network("g", 0);
        string a = Ns("a"), b = Ns("b");
        Connect(net, a, 10);
        var eb = Connect(net, b, 11);
        // Deleted behind VNet's back: its listener's sockets must not keep the namespace (and so
        // its veth, whose host end is on the bridge) alive.
        Assert.Equal(0, Run("ip", "netns", "delete", b).Code);
        // And this test's own handles on it: Connect opened it by its path, the test by its name.
        Ctx.Forget(b);
        Ctx.Forget("/run/netns/" + b);
        Assert.True(SpinWait.SpinUntil(() => Run("ip", "link", "show", eb.HostInterface!).Code != 0, 10000),
            "the host end of the deleted namespace's veth went with it");
        Assert.Equal("203.0.113.10", NetnsExec(a, Dig("+short", a)).Out.Trim());
    }

    [SkippableFact]
    public void QueriesToAnIPv6ResolverAreRedirectedToo()
    {
        var net = Network("6", 0, "2001:db8:6::/64");
        string a = Ns("a"), b = Ns("b");
        Connect(net, a, 10, "2001:db8:6::a");
        Connect(net, b, 11);
        // A host whose resolv.conf names an IPv6 server: the query leaves for it and meets the agent on [::1].
        Assert.Equal("203.0.113.11", Nsenter(a, Dig("+short", "@2001:db8:ffff::53", b)).Out.Trim());
        Assert.Equal("203.0.113.11", Nsenter(a, Dig("+short", "+tcp", "@2001:db8:ffff::53", b)).Out.Trim());
        Assert.Contains("dnat to [::1]:53", Nsenter(a, "nft", "list", "table", "ip6", NamespaceDnsSetup.Table).Out);
    }

    [SkippableFact]
    public void AnAgentStartedFromAThreadInsideAMemberLivesInTheHostsNamespace()
    {
        var net = Network("t", 0);
        string a = Ns("a");
        Connect(net, a, 10);
        AgentClient.Stop(TimeSpan.FromSeconds(10));
        // As from a script block of Invoke-NetNamespace: the caller's thread is inside the member.
        using var inside = File.OpenHandle("/run/netns/" + a);
        Namespaces.NamespaceThread.RunDedicated((int)inside.DangerousGetHandle(), () => { AgentClient.Start(); return 0; });
        int pid = AgentClient.Status().ProcessId!.Value;
        Assert.Equal(Run("readlink", "/proc/self/ns/net").Out.Trim(), Run("readlink", $"/proc/{pid}/ns/net").Out.Trim());
        Assert.Equal("203.0.113.10", NetnsExec(a, Dig("+short", a)).Out.Trim());
    }

    [SkippableFact]
    public void TheAgentExitsByItselfWhenNoNetworkNeedsIt()
    {
        var net = Network("i", 0);
        var e = Connect(net, Ns("a"), 10);
        int pid = AgentClient.Status().ProcessId!.Value;
        Disconnect(e);
        Assert.True(_nets.Remove(net.Name));
        _networks.Remove(net);
        // Other test classes may have members of their own on this host's agent meanwhile.
        Skip.If(NameTable.Load(_store).Members.Count > 0, "another test keeps members on the agent");
        Assert.True(SpinWait.SpinUntil(() => !Directory.Exists($"/proc/{pid}"), 30000), "the idle agent exited");
        Assert.Equal("Stopped", AgentClient.Status().State);
        Assert.False(File.Exists(AgentPaths.Socket));
        Assert.False(File.Exists(AgentPaths.Pid));
    }

    public override void Dispose()
    {
        foreach (var n in _networks) { try { _nets.Remove(n.Name, force: true); } catch (VNetException) { } }
        foreach (var p in _processes) { try { p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { } p.Dispose(); }
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
