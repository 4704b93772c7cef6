// VNet benchmarks: the same workloads done by VNet and by the tools users would otherwise use,
// side by side in one run, reported as medians with min/max and as ratios. Run inside a sandbox
// (./build.sh bench does): every workload makes and removes its own namespaces there.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VNet.Core;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;

var opts = Options.Parse(args);
if (Environment.GetEnvironmentVariable("VNET_IN_SANDBOX") != "1")
{
    Console.Error.WriteLine("Run the benchmarks inside the sandbox: ./build.sh bench");
    return 2;
}
if (opts.CoreOnce is { } once)
{
    // One run of a core workload in this fresh process (JIT of the first use included, as in a
    // fresh pwsh): the cold figure beside the in-process medians, which are warm after run 1.
    double s = once.Workload switch
    {
        "bridge" => Bench.Time(() => Bench.CoreBridge(once.N)),
        "publish" => Bench.Time(() => Bench.CorePublish(once.N)),
        _ => throw new ArgumentException($"--core-once: unknown workload {once.Workload}"),
    };
    Console.WriteLine(s.ToString(CultureInfo.InvariantCulture));
    return 0;
}
var results = new List<Result>();
var bench = new Bench(opts, results);
foreach (var w in opts.Workloads)
{
    switch (w)
    {
        case "bridge": foreach (int n in opts.Quick ? new[] { 10, 100 } : new[] { 10, 100, 500 }) bench.BridgeN(n); break;
        case var b when b.StartsWith("bridge-", StringComparison.Ordinal): bench.BridgeN(int.Parse(b["bridge-".Length..], CultureInfo.InvariantCulture)); break;
        case "list": bench.List2000(); break;
        case "publish": bench.Publish1000(); bench.PublishDistinct(1000); break;
        case "publish-distinct": bench.PublishDistinct(1000); break;
        case "import": bench.Import(); break;
        case "vxlan": bench.Vxlan(); break;
        case "dns": DnsBench.Run(opts.Quick); break;
        case "connect": new ConnectBench(opts, results).Run(); break;
        case "overlay": new OverlayBench(opts, results).Run(null); break;
        case var ov when ov.StartsWith("overlay-", StringComparison.Ordinal): new OverlayBench(opts, results).Run(int.Parse(ov["overlay-".Length..], CultureInfo.InvariantCulture)); break;
        default: Console.Error.WriteLine($"unknown workload {w}"); return 2;
    }
}
bench.Report();
return 0;

sealed record Result(string Workload, string Phase, string Implementation, double[] Seconds, string? Note = null)
{
    public double Median => Seconds.Order().ElementAt(Seconds.Length / 2);
    public double Min => Seconds.Min();
    public double Max => Seconds.Max();
}

sealed class Options
{
    public List<string> Workloads { get; } = new();
    public int Runs = 5;
    public bool Quick;
    public string? Pwsh;
    public string Root = "";
    public string Out = "";
    /// <summary>--only 'A|B': run only the implementations whose name contains A or B (bridge, connect and overlay workloads: '3 hosts', '10 hosts').</summary>
    public string? Only;
    /// <summary>--core-once bridge|publish N: one core run in this process, its seconds on stdout (the bench runs itself so for the cold figure).</summary>
    public (string Workload, int N)? CoreOnce;

    /// <summary>Whether --only (alternatives separated by '|') lets an implementation run.</summary>
    public bool Selected(string impl) => Only == null || Only.Split('|').Any(o => impl.Contains(o, StringComparison.Ordinal));

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": o.Runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--quick": o.Quick = true; break;
                case "--pwsh": o.Pwsh = args[++i]; break;
                case "--root": o.Root = args[++i]; break;
                case "--out": o.Out = args[++i]; break;
                case "--only": o.Only = args[++i]; break;
                case "--core-once": o.CoreOnce = (args[++i], int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                default: o.Workloads.Add(args[i]); break;
            }
        }
        if (o.Workloads.Count == 0 || o.Workloads.Contains("all")) { o.Workloads.Clear(); o.Workloads.AddRange(new[] { "bridge", "list", "publish", "import", "vxlan", "dns", "connect", "overlay" }); }
        if (o.Quick) o.Runs = Math.Min(o.Runs, 3);
        return o;
    }
}

sealed class Bench
{
    private readonly Options _o;
    private readonly List<Result> _results;
    private string Scripts => Path.Combine(_o.Root, "bench", "scripts");

    public Bench(Options o, List<Result> results) { _o = o; _results = results; }

    /// <summary>Runs a program to the end; its exit code and its output and errors together (every workload's helper).</summary>
    internal static (int Code, string Out) Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o + err.Result);
    }

    internal static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }

    private static double TimeProcess(string file, params string[] args)
    {
        var sw = Stopwatch.StartNew();
        var (code, o) = Sh(file, args);
        double t = sw.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {o}");
        return t;
    }

    /// <summary>Waits until the kernel has freed the namespaces of the previous run (teardown is asynchronous).</summary>
    private static void Settle()
    {
        Sh("ip", "-all", "netns", "delete");
        for (int i = 0; i < 100 && Directory.EnumerateFileSystemEntries("/run/netns").Any(); i++) Thread.Sleep(20);
        Thread.Sleep(300);
    }

    private static void CheckPing()
    {
        var (code, o) = Sh("ip", "netns", "exec", "c1", "ping", "-6", "-c", "1", "-W", "2", "2001:db8::1");
        if (code != 0) throw new InvalidOperationException("the built topology does not answer a ping: " + o);
    }

    private void Measure(string workload, string impl, Func<double> build, Func<double> teardown, int runs, string? note = null)
    {
        if (!_o.Selected(impl)) return;
        var b = new List<double>();
        var t = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            Settle();
            b.Add(build());
            if (workload.StartsWith("bridge", StringComparison.Ordinal)) CheckPing();
            t.Add(teardown());
        }
        Settle();
        _results.Add(new Result(workload, "build", impl, b.ToArray(), note));
        _results.Add(new Result(workload, "teardown", impl, t.ToArray(), note));
        Console.Error.WriteLine($"  {workload,-12} {impl,-34} build {Med(b):F3}s teardown {Med(t):F3}s");
    }

    private static double Med(List<double> x) => x.Order().ElementAt(x.Count / 2);

    private static IEnumerable<string> Containers(int n) => Enumerable.Range(1, n).Select(i => $"c{i}");

    private static double NetnsDelAll(int n) => Time(() =>
    {
        // The same teardown for the ip-based runs: one batch deleting every namespace.
        var psi = new ProcessStartInfo("ip", "-batch -") { RedirectStandardInput = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(string.Join("\n", new[] { "netns del bh" }.Concat(Containers(n).Select(c => $"netns del {c}"))) + "\n");
        p.StandardInput.Close();
        p.WaitForExit();
    });

    public void BridgeN(int n)
    {
        string w = $"bridge-{n}";
        Console.Error.WriteLine($"== {w}");
        int slowRuns = n >= 500 ? Math.Min(_o.Runs, 3) : _o.Runs;
        Measure(w, "vnet-core", () => Time(() => CoreBridge(n)), () => Time(() =>
        {
            using var ctx = new NetContext();
            foreach (var c in Containers(n)) ctx.Namespaces.Remove(c, false);
            ctx.Namespaces.Remove("bh", false);
        }), _o.Runs);
        Measure(w, "vnet-core (cold)", () => CoreOnce("bridge", n), () => NetnsDelAll(n), _o.Runs,
            "one run in a fresh process (JIT of the first use included), timed inside it");
        Measure(w, "ip -batch", () => TimeProcess(Path.Combine(Scripts, "bridge_batch.sh"), n.ToString()), () => NetnsDelAll(n), _o.Runs);
        Measure(w, "bash + ip per step", () => TimeProcess(Path.Combine(Scripts, "bridge_ip.sh"), n.ToString()), () => NetnsDelAll(n), slowRuns,
            slowRuns < _o.Runs ? $"{slowRuns} runs" : null);
        Measure(w, "bash + ip netns exec (seed style)", () => TimeProcess(Path.Combine(Scripts, "bridge_ip_exec.sh"), n.ToString()), () => NetnsDelAll(n), slowRuns,
            slowRuns < _o.Runs ? $"{slowRuns} runs" : null);
        Measure(w, "pyroute2", () => TimeProcess("/usr/bin/python3", Path.Combine(Scripts, "bridge_pyroute2.py"), n.ToString()), () => NetnsDelAll(n), slowRuns,
            slowRuns < _o.Runs ? $"{slowRuns} runs" : null);
        if (_o.Pwsh == null)
            Measure(w, "vnet cmdlets (in-process)", () => InProcess(Path.Combine(Scripts, "bridge_vnet.ps1"), n),
                () => NetnsDelAll(n), slowRuns, "PowerShell engine hosted in-process (no pwsh found); runspace and Import-Module included");
        else
        {
            // The script prints the seconds its cmdlets took after Import-Module: the cmdlet path
            // alone (JIT of the first use included), reported beside the whole process.
            var inSession = new List<double>();
            Measure(w, "vnet cmdlets (pwsh)", () =>
            {
                var sw = Stopwatch.StartNew();
                var (code, o) = Sh(_o.Pwsh, "-NoProfile", "-NonInteractive", "-File", Path.Combine(Scripts, "bridge_vnet.ps1"), "-N", n.ToString(), "-Manifest", Path.Combine(_o.Root, "VNet.psd1"));
                double t = sw.Elapsed.TotalSeconds;
                if (code != 0) throw new InvalidOperationException($"bridge_vnet.ps1 failed: {o}");
                inSession.Add(double.Parse(o.Trim().Split('\n')[^1], CultureInfo.InvariantCulture));
                return t;
            }, () => NetnsDelAll(n), slowRuns, "whole pwsh process, start-up and Import-Module included");
            if (inSession.Count > 0)
            {
                _results.Add(new Result(w, "build", "vnet cmdlets (in session)", inSession.ToArray(), "timed inside pwsh after Import-Module (JIT included)"));
                Console.Error.WriteLine($"  {w,-12} {"vnet cmdlets (in session)",-34} build {Med(inSession):F3}s");
            }
            Measure(w, $"vnet cmdlets (in session, after {SteadyBuilds} builds)", () =>
            {
                var (code, o) = Sh(_o.Pwsh, "-NoProfile", "-NonInteractive", "-File", Path.Combine(Scripts, "bridge_vnet.ps1"), "-N", n.ToString(), "-Manifest", Path.Combine(_o.Root, "VNet.psd1"),
                    "-Before", SteadyBuilds.ToString(CultureInfo.InvariantCulture));
                if (code != 0) throw new InvalidOperationException($"bridge_vnet.ps1 -Before failed: {o}");
                return double.Parse(o.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
            }, () => NetnsDelAll(n), slowRuns, $"the same build done {SteadyBuilds} times before in the session under other names, then timed");
        }
    }

    /// <summary>
    /// How much work a session does before its steady-state figure is taken: this pwsh's own
    /// assemblies are IL only, and a fresh session runs PowerShell's binder and interpreter as
    /// tier-0 code until tiered compilation has recompiled them, which needs idle moments (it
    /// starts counting calls only after a lull) and a few rounds of the work. In-session timings
    /// with half a second idle between rounds settled after three to four bridge-100 builds and
    /// three to four 1,000-object publish pipelines (bench/README.md, Results).
    /// </summary>
    private const int SteadyBuilds = 4, SteadyBatches = 10;

    /// <summary>bridge-N through VNet's core in one context: what the cmdlet script does, call for call.</summary>
    internal static void CoreBridge(int n)
    {
        using var ctx = new NetContext();
        ctx.Namespaces.Create("bh");
        ctx.BridgeOperations.Create("br0", "bh");
        ctx.Addresses.Add("br0", "2001:db8::1/64", "bh");
        for (int i = 1; i <= n; i++)
        {
            string c = $"c{i}";
            ctx.Namespaces.Create(c);
            ctx.Veths.Create(new VethSpec { Name = $"v{i}", Namespace = "bh", PeerName = "eth0", PeerNamespace = c });
            ctx.Bridges.AddPort("br0", $"v{i}", "bh");
            ctx.Addresses.Add("eth0", $"2001:db8::{i + 1:x}/64", c);
            ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "2001:db8::1", Namespace = c });
        }
    }

    /// <summary>publish-distinct-N through VNet's core: one AddMany into namespace 'pub'.</summary>
    internal static void CorePublish(int n)
    {
        using var c = new NetContext();
        c.Nat.AddMany(Enumerable.Range(0, n).Select(i => new NatSpec { Kind = "Publish", PublishPort = $"{20000 + i}", ToAddress = BenchAddress(i), ToPort = "80", Namespace = "pub" }).ToList());
    }

    /// <summary>Runs this bench binary again for one core run (--core-once) and returns the seconds it printed.</summary>
    private static double CoreOnce(string workload, int n)
    {
        var (code, o) = Sh(Environment.ProcessPath!, typeof(Bench).Assembly.Location, "--core-once", workload, n.ToString(CultureInfo.InvariantCulture));
        if (code != 0) throw new InvalidOperationException($"--core-once {workload} {n} failed: {o}");
        return double.Parse(o.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a bench script in the PowerShell engine hosted in this process, timing runspace, import and script.</summary>
    private double InProcess(string script, int n) => Time(() =>
    {
        var iss = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
        using var rs = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(iss);
        rs.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = rs;
        ps.AddCommand(script).AddParameter("N", n).AddParameter("Manifest", Path.Combine(_o.Root, "VNet.psd1"));
        ps.Invoke();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    });

    public void List2000()
    {
        Console.Error.WriteLine("== list-2000");
        Settle();
        using (var ctx = new NetContext())
        {
            ctx.Namespaces.Create("big");
            for (int i = 0; i < 1000; i++)
                ctx.Veths.Create(new VethSpec { Name = $"a{i}", PeerName = $"b{i}", Namespace = "big", PeerNamespace = "big", Up = false });
        }
        var core = new List<double>();
        var ipj = new List<double>();
        var py = new List<double>();
        int count = 0;
        for (int r = 0; r < _o.Runs; r++)
        {
            core.Add(Time(() => { using var ctx = new NetContext(); count = ctx.Links.List("big").Count; }));
            ipj.Add(TimeProcess("ip", "-n", "big", "-j", "link", "show"));
            py.Add(TimeProcess("/usr/bin/python3", Path.Combine(Scripts, "list_pyroute2.py")));
        }
        if (count != 2001) throw new InvalidOperationException($"listed {count} links, expected 2001");
        _results.Add(new Result("list-2000", "list", "vnet-core", core.ToArray(), "in-process, socket opened per call"));
        _results.Add(new Result("list-2000", "list", "ip -j link", ipj.ToArray(), "whole process"));
        _results.Add(new Result("list-2000", "list", "pyroute2", py.ToArray(), "whole process"));
        Settle();
    }

    public void Publish1000()
    {
        Console.Error.WriteLine("== publish-1000");
        var tests = new (string Impl, Func<double> Add, Func<double> Remove, string? Note)[]
        {
            ("vnet-core", () => Time(() => { using var c = new NetContext(); c.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "20000-20999", ToAddress = "198.51.100.10", ToPort = "20000-20999", Namespace = "pub" }); }),
                () => Time(() => { using var c = new NetContext(); c.Nat.Remove("publish-tcp-20000-20999", "pub"); }), "one Add-NatRule of a 1,000-port range: one transaction"),
            ("nft -f (map)", () => Nft("pub-add.nft"), () => Nft("pub-del.nft"), "one nft -f with a map"),
            ("iptables-restore", () => Restore(true), () => Restore(false), "one iptables-restore"),
            ("iptables per rule", () => IptablesPerRule(true), () => IptablesPerRule(false), "1,000 iptables processes"),
        };
        WriteNftFiles();
        foreach (var (impl, add, remove, note) in tests)
        {
            var a = new List<double>();
            var d = new List<double>();
            int runs = impl == "iptables per rule" ? Math.Min(_o.Runs, 3) : _o.Runs;
            for (int r = 0; r < runs; r++)
            {
                Settle();
                Sh("ip", "netns", "add", "pub");
                a.Add(add());
                d.Add(remove());
                Sh("ip", "netns", "del", "pub");
            }
            _results.Add(new Result("publish-1000", "add", impl, a.ToArray(), note));
            _results.Add(new Result("publish-1000", "remove", impl, d.ToArray(), note));
            Console.Error.WriteLine($"  publish-1000 {impl,-22} add {Med(a):F3}s remove {Med(d):F3}s");
        }
    }

    /// <summary>Container addresses in the benchmarking range, one per publish: 198.18.0.1, 198.18.0.2, ...</summary>
    private static string BenchAddress(int i) => $"198.18.{i / 250}.{i % 250 + 1}";

    /// <summary>
    /// publish-distinct-N: N publishes of one port each to N addresses, as users make them (one per
    /// container). VNet's cmdlets as a pipeline (one transaction, committed in EndProcessing) and as
    /// a loop of N calls, VNet's core (AddMany), against one `nft -f` of the same N elements.
    /// </summary>
    public void PublishDistinct(int n)
    {
        string w = $"publish-distinct-{n}";
        Console.Error.WriteLine($"== {w}");
        string nftFile = Tmp("pub-distinct.nft");
        File.WriteAllText(nftFile,
            "table ip bench {\n map pub { type inet_service : ipv4_addr . inet_service; }\n" +
            " chain pre {\n  type nat hook prerouting priority dstnat;\n  fib daddr type local dnat ip to tcp dport map @pub\n }\n" +
            $"}}\nadd element ip bench pub {{ {string.Join(", ", Enumerable.Range(0, n).Select(i => $"{20000 + i} : {BenchAddress(i)} . 80"))} }}\n");
        string script = Path.Combine(Scripts, "publish_vnet.ps1"), manifest = Path.Combine(_o.Root, "VNet.psd1");
        // What VNet writes, as nft would load it: the core makes it once, nft lists it (reloadable text).
        string vnetFile = Tmp("pub-distinct-vnet.nft");
        Settle();
        Sh("ip", "netns", "add", "pub");
        CorePublish(n);
        var (listed, table) = Sh("nsenter", "--net=/run/netns/pub", "nft", "list", "table", "inet", "vnet");
        if (listed != 0) throw new InvalidOperationException($"nft list table inet vnet failed: {table}");
        File.WriteAllText(vnetFile, table);
        Sh("ip", "netns", "del", "pub");
        double InSession(string mode, int before = 0)
        {
            if (_o.Pwsh != null)
            {
                var (code, o) = Sh(_o.Pwsh, "-NoProfile", "-NonInteractive", "-File", script, "-N", n.ToString(CultureInfo.InvariantCulture), "-Manifest", manifest, "-Mode", mode,
                    "-Before", before.ToString(CultureInfo.InvariantCulture));
                if (code != 0) throw new InvalidOperationException($"{script} failed: {o}");
                return double.Parse(o.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
            }
            var iss = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
            using var rs = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(iss);
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddCommand(script).AddParameter("N", n).AddParameter("Manifest", manifest).AddParameter("Mode", mode).AddParameter("Before", before);
            var r = ps.Invoke();
            if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
            return double.Parse(r[^1].ToString(), CultureInfo.InvariantCulture);
        }
        string where = _o.Pwsh != null ? "a fresh pwsh" : "the hosted engine";
        var tests = new (string Impl, Func<double> Add, int Runs, string Note)[]
        {
            ("nft -f (map)", () => TimeProcess("nsenter", "--net=/run/netns/pub", "nft", "-f", nftFile), _o.Runs, "one nft -f of the same elements, whole process"),
            ("nft -f (VNet's table)", () => TimeProcess("nsenter", "--net=/run/netns/pub", "nft", "-f", vnetFile), _o.Runs,
                "one nft -f of the table VNet makes for them (both maps, counters, comments, chains), whole process; for reference"),
            ("vnet-core AddMany", () => Time(() => CorePublish(n)), _o.Runs, "in-process, one transaction"),
            ("vnet-core AddMany (cold)", () => CoreOnce("publish", n), _o.Runs, "one run in a fresh process (JIT of the first use included), timed inside it"),
            ("vnet cmdlets, pipeline", () => InSession("Pipeline"), _o.Runs, $"$list | Add-NatRule timed in {where} (JIT included)"),
            ($"vnet cmdlets, pipeline after {SteadyBatches}", () => InSession("Pipeline", SteadyBatches), _o.Runs, $"the same pipeline run {SteadyBatches} times before in {where} (each into a namespace of its own), then timed"),
            ("vnet cmdlets, loop", () => InSession("Loop"), 1, $"{n} Add-NatRule calls timed in {where}; 1 run"),
        };
        foreach (var (impl, add, runs, note) in tests)
        {
            if (_o.Quick && impl.EndsWith("loop", StringComparison.Ordinal)) continue;
            var a = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                Settle();
                Sh("ip", "netns", "add", "pub");
                a.Add(add());
                Sh("ip", "netns", "del", "pub");
            }
            _results.Add(new Result(w, "add", impl, a.ToArray(), note));
            Console.Error.WriteLine($"  {w} {impl,-24} add {Med(a):F3}s");
        }
    }

    private string Tmp(string name) => Path.Combine(Path.GetTempPath(), name);

    private void WriteNftFiles()
    {
        var elems = string.Join(", ", Enumerable.Range(20000, 1000).Select(p => $"{p} : 198.51.100.10 . {p}"));
        File.WriteAllText(Tmp("pub-add.nft"),
            "table ip bench {\n map pub { type inet_service : ipv4_addr . inet_service; }\n" +
            " chain pre {\n  type nat hook prerouting priority dstnat;\n  fib daddr type local dnat ip to tcp dport map @pub\n }\n" +
            $"}}\nadd element ip bench pub {{ {elems} }}\n");
        File.WriteAllText(Tmp("pub-del.nft"), "delete table ip bench\n");
        File.WriteAllText(Tmp("ipt-add.rules"), "*nat\n:PREROUTING ACCEPT [0:0]\n" +
            string.Concat(Enumerable.Range(20000, 1000).Select(p => $"-A PREROUTING -p tcp --dport {p} -j DNAT --to-destination 198.51.100.10:{p}\n")) + "COMMIT\n");
        File.WriteAllText(Tmp("ipt-del.rules"), "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
    }

    private double Nft(string file) => TimeProcess("nsenter", "--net=/run/netns/pub", "nft", "-f", Tmp(file));

    private double Restore(bool add) => TimeProcess("nsenter", "--net=/run/netns/pub", "iptables-restore", Tmp(add ? "ipt-add.rules" : "ipt-del.rules"));

    private double IptablesPerRule(bool add)
    {
        string script = string.Concat(Enumerable.Range(20000, 1000).Select(p =>
            $"iptables -t nat {(add ? "-A" : "-D")} PREROUTING -p tcp --dport {p} -j DNAT --to-destination 198.51.100.10:{p}\n"));
        File.WriteAllText(Tmp("ipt-each.sh"), script);
        return TimeProcess("nsenter", "--net=/run/netns/pub", "bash", Tmp("ipt-each.sh"));
    }

    public void Import()
    {
        Console.Error.WriteLine("== import");
        string manifestPath = Path.Combine(_o.Root, "VNet.psd1");
        if (_o.Pwsh == null)
        {
            // No pwsh: time Import-Module in the hosted engine (the first run is the cold one).
            var times = new List<double>();
            for (int r = 0; r < _o.Runs; r++)
            {
                var iss = System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2();
                using var rs = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(iss);
                rs.Open();
                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = rs;
                ps.AddCommand("Import-Module").AddParameter("Name", manifestPath);
                times.Add(Time(() => ps.Invoke()));
            }
            _results.Add(new Result("import", "Import-Module in a session", "vnet (in-process engine)", times.ToArray(), "first run cold"));
            return;
        }
        var bare = new List<double>();
        var imp = new List<double>();
        string manifest = Path.Combine(_o.Root, "VNet.psd1");
        for (int r = 0; r < _o.Runs; r++)
        {
            bare.Add(TimeProcess(_o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", "exit 0"));
            imp.Add(TimeProcess(_o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{manifest}'; exit 0"));
        }
        var diff = imp.Zip(bare, (a, b) => Math.Max(0, a - b)).ToArray();
        _results.Add(new Result("import", "pwsh start", "pwsh -Command exit", bare.ToArray()));
        _results.Add(new Result("import", "pwsh start + Import-Module", "vnet", imp.ToArray()));
        _results.Add(new Result("import", "Import-Module alone", "vnet", diff, "difference of the two above"));
        // Also measured inside one session, which is what a user waits for at the prompt.
        var (_, o) = Sh(_o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", $"(Measure-Command {{ Import-Module '{manifest}' }}).TotalSeconds");
        if (double.TryParse(o.Trim().Split('\n')[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double inSession))
            _results.Add(new Result("import", "Import-Module in a session", "vnet", new[] { inSession }, "Measure-Command in a fresh pwsh"));
    }

    private readonly List<(string Path, int Mtu, double Gbps)> _throughput = new();

    /// <summary>Container-to-container throughput over the emulated lab's VXLAN vs a plain veth (iperf3, lab/measure-throughput.ps1).</summary>
    public void Vxlan()
    {
        Console.Error.WriteLine("== vxlan");
        if (_o.Pwsh == null) { Console.Error.WriteLine("  (no pwsh: skipped)"); return; }
        string script = Path.Combine(_o.Root, "lab", "measure-throughput.ps1");
        var (code, o) = Sh(_o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", $"& '{script}' -Seconds 3 | ConvertTo-Json -Compress");
        if (code != 0) { Console.Error.WriteLine("  measure-throughput failed: " + o); return; }
        string json = o.Split('\n').Last(l => l.TrimStart().StartsWith('['));
        foreach (var e in JsonDocument.Parse(json).RootElement.EnumerateArray())
            _throughput.Add((e.GetProperty("Path").GetString() ?? "", e.GetProperty("Mtu").GetInt32(), e.GetProperty("Gbps").GetDouble()));
    }

    public void Report()
    {
        var w = Console.Out;
        w.WriteLine($"VNet benchmarks: kernel {Environment.OSVersion.Version}, {Environment.ProcessorCount} cores, {_o.Runs} runs each (median [min-max] seconds)");
        foreach (var g in _results.GroupBy(r => (r.Workload, r.Phase)))
        {
            string baseline = g.Key.Workload.StartsWith("publish", StringComparison.Ordinal) ? "nft -f (map)" : g.Key.Workload.StartsWith("list", StringComparison.Ordinal) ? "ip -j link" : "ip -batch";
            var b = g.FirstOrDefault(r => r.Implementation == baseline);
            w.WriteLine($"\n{g.Key.Workload} / {g.Key.Phase}");
            w.WriteLine($"  {"implementation",-34} {"median",9} {"min",9} {"max",9} {"x " + baseline,16}  note");
            foreach (var r in g.OrderBy(r => r.Median))
            {
                string ratio = b != null ? (r.Median / b.Median).ToString("F2", CultureInfo.InvariantCulture) : "";
                w.WriteLine($"  {r.Implementation,-34} {r.Median,9:F4} {r.Min,9:F4} {r.Max,9:F4} {ratio,16}  {r.Note}");
            }
        }
        if (_throughput.Count > 0)
        {
            w.WriteLine("\nvxlan / throughput (iperf3 -t 3, one run)");
            foreach (var (path, mtu, gbps) in _throughput) w.WriteLine($"  {path,-34} MTU {mtu,5} {gbps,7:F2} Gbit/s");
        }
        if (_o.Out.Length > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_o.Out)!);
            var doc = new
            {
                kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
                cores = Environment.ProcessorCount,
                runs = _o.Runs,
                date = DateTime.UtcNow.ToString("o"),
                results = _results.Select(r => new { r.Workload, r.Phase, r.Implementation, r.Median, r.Min, r.Max, r.Seconds, r.Note }),
                throughput = _throughput.Select(t => new { t.Path, t.Mtu, t.Gbps }),
                overlay = OverlayBench.Summaries,
            };
            File.WriteAllText(_o.Out, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
            w.WriteLine($"\nJSON: {_o.Out}");
        }
    }
}
