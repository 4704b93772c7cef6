// The "connect" workload: joining N namespaces to one bridge network (address, name, veth, route),
// one Connect per namespace as container runtimes do it, by VNet and by the tools users run today
// (bench/README.md). Namespaces are made beforehand and never timed. Reported per call, in ms.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using VNet.Core;
using VNet.Core.Networks;

sealed class ConnectBench
{
    private readonly Options _o;
    private readonly List<Result> _results;
    private readonly List<string> _lines = new();
    private string Scripts => Path.Combine(_o.Root, "bench", "scripts");

    public ConnectBench(Options o, List<Result> results) { _o = o; _results = results; }

    public void Run()
    {
        // VNet's state on the sandbox's tmpfs, pools in the benchmarking range (for children too).
        Environment.SetEnvironmentVariable(StateRoots.StateEnv, "/run/vnet/bench-state");
        Environment.SetEnvironmentVariable(StateRoots.RunEnv, "/run/vnet/bench-run");
        Environment.SetEnvironmentVariable(AddressPools.EnvVar, "base=198.18.0.0/15,size=20");
        foreach (int n in _o.Quick ? new[] { 10, 100 } : new[] { 100, 1000 }) RunN(n);
        Console.Out.WriteLine($"\nconnect / one Connect and one Disconnect per namespace, ms per call (median of the runs' means [min-max]); load average at start {Load()}");
        foreach (var l in _lines) Console.Out.WriteLine(l);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);

    private void RunN(int n)
    {
        string w = $"connect-{n}";
        Console.Error.WriteLine($"== {w} (load {Load()})");
        // At N=1000 a peer's run takes minutes on a shared 2-core box: one run each, VNet's core all of them.
        int runs = Math.Min(_o.Runs, 3), peerRuns = n >= 1000 ? 1 : runs;
        var rows = new List<(string Impl, double[] C, double[] D, string Note)>();
        void Add(string impl, Func<(double, double)> once, int r, string note)
        {
            if (!_o.Selected(impl)) return;
            var c = new List<double>();
            var d = new List<double>();
            for (int i = 0; i < r; i++)
            {
                try
                {
                    var (ct, dt) = once();
                    c.Add(ct / n * 1000);
                    d.Add(dt / n * 1000);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"  {impl}: failed: {e.Message}");
                    return;
                }
                finally { Settle(); }
            }
            rows.Add((impl, c.ToArray(), d.ToArray(), note));
            _results.Add(new Result(w, "connect (s per call)", impl, c.Select(x => x / 1000).ToArray(), note));
            _results.Add(new Result(w, "disconnect (s per call)", impl, d.Select(x => x / 1000).ToArray(), note));
            Console.Error.WriteLine($"  {impl,-30} connect {Med(c):F2} ms disconnect {Med(d):F2} ms");
        }
        Settle();
        Add("vnet-core", () => Core(n), runs, "NetworkService in-process; names registered with the DNS agent");
        if (_o.Pwsh != null)
            Add("vnet cmdlets (pwsh)", () => Script(_o.Pwsh, "-NoProfile", "-NonInteractive", "-File", Path.Combine(Scripts, "connect_vnet.ps1"), "-N", n.ToString(CultureInfo.InvariantCulture), "-Manifest", Path.Combine(_o.Root, "VNet.psd1")),
                peerRuns, "one session, a ForEach-Object of Connect-ContainerNetwork; names registered");
        Add("CNI bridge + host-local", () => Script(Path.Combine(Scripts, "connect_cni.sh"), n.ToString(CultureInfo.InvariantCulture)), peerRuns, "one plugin exec per container; no names");
        Add("netavark", () => Script(Path.Combine(Scripts, "connect_netavark.sh"), n.ToString(CultureInfo.InvariantCulture)), peerRuns, "one exec per container, Podman's IPAM not included; no names");
        Add("netavark + aardvark-dns", () =>
        {
            Environment.SetEnvironmentVariable("DNS_ENABLED", "1");
            try { return Script(Path.Combine(Scripts, "connect_netavark.sh"), n.ToString(CultureInfo.InvariantCulture)); }
            finally { Environment.SetEnvironmentVariable("DNS_ENABLED", null); }
        }, peerRuns, "DNS_ENABLED=1: names registered with aardvark-dns");
        if (n <= 100)
            Add("docker network connect", () => Script(Path.Combine(Scripts, "connect_docker.sh"), n.ToString(CultureInfo.InvariantCulture)), 1, "sandboxed dockerd, one CLI call per container; names; 1 run");
        var peers = rows.Where(r => !r.Impl.StartsWith("vnet", StringComparison.Ordinal)).ToList();
        double bestC = peers.Count > 0 ? peers.Min(p => MedA(p.C)) : double.NaN;
        double bestD = peers.Count > 0 ? peers.Min(p => MedA(p.D)) : double.NaN;
        _lines.Add($"\n{w} (vnet-core {runs} runs, the others {peerRuns}{(n <= 100 ? ", docker 1" : "")})");
        _lines.Add($"  {"implementation",-26} {"connect",8} {"[min-max]",15} {"x best",7} {"disconn.",8} {"x best",7}  note");
        foreach (var r in rows.OrderBy(r => MedA(r.C)))
            _lines.Add($"  {r.Impl,-26} {MedA(r.C),8:F2} {$"[{r.C.Min():F2}-{r.C.Max():F2}]",15} {MedA(r.C) / bestC,7:F3} {MedA(r.D),8:F2} {MedA(r.D) / bestD,7:F3}  {r.Note}");
        if (_dns is { } l)
            _lines.Add($"  name from inside member c1 to the agent (c{n}, {l.Length} queries after a first one of {_dnsFirstMs:F1} ms): p50 {DnsBench.P(l, 50):F0} us, p99 {DnsBench.P(l, 99):F0} us, p99.9 {DnsBench.P(l, 99.9):F0} us, max {l[^1]:F0} us");
        else if (_dnsError != null)
            _lines.Add($"  name from inside member c1 to the agent: failed ({_dnsError}; first query {_dnsFirstMs:F1} ms)");
        _dns = null;
        _dnsError = null;
        _dnsFirstMs = double.NaN;
    }

    private double[]? _dns;
    private string? _dnsError;
    private double _dnsFirstMs = double.NaN;

    /// <summary>VNet's core: the network made, one member connected first and kept (JIT, the agent's start: not timed), then N Connects.</summary>
    private (double, double) Core(int n)
    {
        MakeNamespaces(n);
        using var ctx = new NetContext();
        var svc = new NetworkService(ctx);
        svc.Create(new NetworkSpec { Name = "benchnet", Subnet = new[] { "198.18.0.0/20" } });
        try
        {
            svc.Connect(new ConnectSpec { Network = "benchnet", Target = new EndpointTarget { Namespace = "c0" } });
            var sw = Stopwatch.StartNew();
            for (int i = 1; i <= n; i++)
                svc.Connect(new ConnectSpec { Network = "benchnet", Target = new EndpointTarget { Namespace = $"c{i}" } });
            double c = sw.Elapsed.TotalSeconds;
            // A few tries: on a shared host the global neighbour table can be full for a moment (ENOBUFS).
            var (code, o) = (1, "");
            for (int t = 0; t < 5 && code != 0; t++)
            {
                if (t > 0) Thread.Sleep(1000);
                (code, o) = Sh("ip", "netns", "exec", "c1", "ping", "-c", "1", "-W", "2", "198.18.0.1");
            }
            if (code != 0) throw new InvalidOperationException("c1 does not reach its gateway: " + o);
            if (_dns == null)
            {
                // The first query after the Connects is timed alone (with a long timeout): the agent
                // notices the store changed and reads it then. A failure here costs the DNS line, not the run.
                var agent = new IPEndPoint(IPAddress.Parse("127.0.0.11"), 53);
                try
                {
                    var first = Stopwatch.StartNew();
                    DnsBench.Latencies("/run/netns/c1", agent, $"c{n}", 1, 60000);
                    _dnsFirstMs = first.Elapsed.TotalMilliseconds;
                    _dns = DnsBench.Latencies("/run/netns/c1", agent, $"c{n}", 10000, 10000);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
                {
                    _dnsError = e.Message;
                }
            }
            sw.Restart();
            for (int i = 1; i <= n; i++)
                svc.Disconnect("benchnet", new EndpointTarget { Namespace = $"c{i}" });
            return (c, sw.Elapsed.TotalSeconds);
        }
        finally
        {
            svc.Remove("benchnet", force: true);
        }
    }

    private static void MakeNamespaces(int n)
    {
        var psi = new ProcessStartInfo("ip", "-batch -") { RedirectStandardInput = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(string.Join("\n", Enumerable.Range(0, n + 1).Select(i => $"netns add c{i}")) + "\n");
        p.StandardInput.Close();
        p.WaitForExit();
    }

    /// <summary>Runs a peer's script, which prints "connect S" and "disconnect S" (seconds for all N).</summary>
    private (double, double) Script(string file, params string[] args)
    {
        var (code, o) = Sh(file, args);
        if (code != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} exited {code}: {o.Trim()}");
        double Get(string key) => double.Parse(o.Split('\n').Last(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        return (Get("connect"), Get("disconnect"));
    }

    private static (int Code, string Out) Sh(string file, params string[] args) => Bench.Sh(file, args);

    private static void Settle()
    {
        Sh("ip", "-all", "netns", "delete");
        for (int i = 0; i < 200 && Directory.EnumerateFileSystemEntries("/run/netns").Any(); i++) Thread.Sleep(20);
        Thread.Sleep(500);
    }

    private static double Med(List<double> x) => x.Order().ElementAt(x.Count / 2);
    private static double MedA(double[] x) => x.Order().ElementAt(x.Length / 2);
}
