// The "overlay" workload (issue #11, bench/README.md): how fast an overlay endpoint connected on one
// emulated host becomes reachable by name from a container on another, how many etcd requests a
// Connect costs, and what the agents burn while nothing happens. Runs the emulated lab with an
// etcd store (three members on the first three hosts), 3 hosts and 10 hosts.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using VNet.Core.Lab;

sealed class OverlayBench
{
    private const string Network = "ovb";
    private const string Subnet = "198.18.0.0/24";

    private readonly Options _o;
    private readonly List<Result> _results;
    private readonly List<string> _lines = new();
    private string Scripts => Path.Combine(_o.Root, "bench", "scripts");
    private string Manifest => Path.Combine(_o.Root, "VNet.psd1");

    /// <summary>What each lab size measured, for bench/results/latest.json.</summary>
    public static readonly List<object> Summaries = new();

    public OverlayBench(Options o, List<Result> results) { _o = o; _results = results; }

    /// <param name="size">One lab size (overlay-3, overlay-10), or null for both.</param>
    public void Run(int? size)
    {
        if (_o.Pwsh == null) { Console.Error.WriteLine("== overlay: needs --pwsh (the Connects run in a pwsh session per host); skipped"); return; }
        foreach (int n in size is { } s ? new[] { s } : new[] { 3, 10 })
        {
            if (!_o.Selected($"{n} hosts")) continue;
            try { RunLab(n, _o.Quick ? 15 : 100, _o.Quick ? 5 : 10); }
            catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or VNet.Core.VNetException)
            {
                Console.Error.WriteLine($"  overlay-{n}: failed: {e.Message}");
                _lines.Add($"\noverlay-{n}: failed: {e.Message}");
            }
        }
        Console.Out.WriteLine($"\noverlay / convergence: Connect-ContainerNetwork returned on one host -> a container on another resolves the name and gets an ICMP reply (ms)");
        foreach (var l in _lines) Console.Out.WriteLine(l);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);

    private static string HostName(int i) => i < 26 ? ((char)('A' + i)).ToString() : $"H{i}";

    /// <summary>A lab of n hosts on 192.0.2.0/24 with an etcd store; the connecting hosts are the first three, each endpoint probed from another host (rotating over all others).</summary>
    private void RunLab(int n, int endpoints, int idleSeconds)
    {
        string w = $"overlay-{n}";
        Console.Error.WriteLine($"== {w} ({endpoints} endpoints, load {Load()})");
        // The lab files users start by hand (lab/three-host.json, lab/ten-host.json) under a name of
        // the bench's own; any other size is made up the same way: A, B, ... from 192.0.2.11.
        string file = Path.Combine(_o.Root, "lab", n switch { 3 => "three-host.json", 10 => "ten-host.json", _ => "" });
        var def = File.Exists(file) ? LabDefinition.Load(file) : new LabDefinition
        {
            Underlay = new UnderlayDefinition { Subnet = "192.0.2.0/24", Mtu = 1500 },
            Hosts = Enumerable.Range(0, n).Select(i => new HostDefinition { Name = HostName(i), Address = $"192.0.2.{11 + i}" }).ToList(),
        };
        def.Name = $"ovb{n}";
        def.Store = LabDefinition.EtcdStore;
        def.Validate("overlay bench");
        EmulatedLab.Stop(def.Name);
        var sw = Stopwatch.StartNew();
        var lab = EmulatedLab.Start(def);
        Console.Error.WriteLine($"  lab up with etcd in {sw.Elapsed.TotalSeconds:F1} s");
        var connectors = new Dictionary<string, HostProcess>();
        var probes = new Dictionary<string, HostProcess>();
        try
        {
            var hosts = lab.Hosts;
            int connecting = Math.Min(3, n);
            // The plan: endpoint i is connected on host i mod 3 and probed from another host, the
            // probing host rotating over all the others so every host's agent is measured.
            var plan = Enumerable.Range(0, endpoints).Select(i =>
            {
                int c = i % connecting;
                int p = (c + 1 + i / connecting % (n - 1)) % n;
                return (Name: $"e{i + 1}", Conn: hosts[c], Probe: hosts[p]);
            }).ToList();

            Pwsh(hosts[0], $"New-ContainerNetwork {Network} -Driver overlay -Subnet {Subnet} | Out-Null");
            foreach (var h in hosts)
            {
                var names = new[] { Probe(h) }.Concat(plan.Where(e => e.Conn == h).Select(e => e.Name));
                string batch = Path.Combine(Path.GetTempPath(), $"ovb-netns-{def.Name}-{h.Name}");
                File.WriteAllText(batch, string.Concat(names.Select(x => $"netns add {x}\n")));
                var (code, o) = EmulatedLab.RunOnHost(h, null, "ip", "-batch", batch);
                if (code != 0) throw new InvalidOperationException($"ip -batch on {h.Name}: {o}");
            }
            // One pwsh per connecting host; the other hosts' probe namespaces joined by one pwsh each.
            foreach (var h in hosts.Take(connecting))
                connectors[h.Name] = HostProcess.Start(h, _o.Pwsh!, "-NoProfile", "-NonInteractive", "-File", Path.Combine(Scripts, "overlay_connect.ps1"), "-Manifest", Manifest, "-Network", Network);
            foreach (var h in hosts.Skip(connecting))
                Pwsh(h, $"Connect-ContainerNetwork {Network} -Namespace {Probe(h)} | Out-Null");
            foreach (var (name, c) in connectors)
            {
                c.Expect("ready");
                c.Send(Probe(lab.Host(name)));
                string r = c.ReadLine();
                if (r.Contains(" error ", StringComparison.Ordinal)) throw new InvalidOperationException($"Connect of the probe namespace on {name}: {r}");
            }
            Console.Error.WriteLine($"  network, {endpoints + n} namespaces, {connectors.Count} pwsh sessions ready at {sw.Elapsed.TotalSeconds:F1} s");
            foreach (var h in hosts)
            {
                probes[h.Name] = HostProcess.Start(h, "ip", "netns", "exec", Probe(h), "/usr/bin/python3", Path.Combine(Scripts, "overlay_probe.py"));
                probes[h.Name].Expect("ready");
            }
            // Every probe reaches the next host's probe namespace first: the overlay works, and the
            // path (python, the resolver, the agent's listener) is warm before anything is timed.
            for (int i = 0; i < n; i++)
            {
                var target = Probe(hosts[(i + 1) % n]);
                probes[hosts[i].Name].Send(target);
                string r = probes[hosts[i].Name].ReadLine();
                if (r.EndsWith(" timeout", StringComparison.Ordinal)) throw new InvalidOperationException($"{hosts[i].Name} does not reach {target} over the overlay");
            }
            Console.Error.WriteLine($"  probes warm at {sw.Elapsed.TotalSeconds:F1} s");

            var cpu0 = AgentCpu(lab);
            var m0 = EtcdMetrics(lab);
            var conv = new List<double>();
            var fromSent = new List<double>();
            var connectMs = new List<double>();
            var failures = new List<string>();
            foreach (var (name, conn, probe) in plan)
            {
                var pr = probes[probe.Name];
                var cn = connectors[conn.Name];
                pr.Send(name);
                double sent = Epoch();
                cn.Send(name);
                string c = cn.ReadLine();
                string s = pr.ReadLine();
                var cp = c.Split(' ');
                var sp = s.Split(' ');
                if (cp.Length != 2 || cp[0] != name || !double.TryParse(cp[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double tc))
                {
                    failures.Add($"{name} on {conn.Name}: {c}");
                    continue;
                }
                connectMs.Add((tc - sent) * 1000);
                if (sp.Length != 2 || sp[0] != name || !double.TryParse(sp[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ts))
                {
                    failures.Add($"{name} from {probe.Name}: {s}");
                    continue;
                }
                conv.Add((ts - tc) * 1000);
                fromSent.Add((ts - sent) * 1000);
            }
            var m1 = EtcdMetrics(lab);
            var cpu1 = AgentCpu(lab);
            Console.Error.WriteLine($"  {conv.Count} endpoints measured at {sw.Elapsed.TotalSeconds:F1} s; {failures.Count} failed");
            foreach (var f in failures.Take(5)) Console.Error.WriteLine($"    {f}");

            // Idle: the pwsh sessions and probes end, everything settles, then nothing happens.
            foreach (var p in connectors.Values.Concat(probes.Values)) p.Dispose();
            connectors.Clear();
            probes.Clear();
            var syncs = SyncTimes(lab);
            Thread.Sleep(2000);
            // Two windows back to back: what winds down after the work (the runtime's own threads
            // retiring) shows in the first; what stays in the second is the idle cost.
            var cpuIdle0 = AgentCpu(lab);
            var mIdle0 = EtcdMetrics(lab);
            Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
            var cpuIdle1 = AgentCpu(lab);
            var mIdle1 = EtcdMetrics(lab);
            Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
            var cpuIdle2 = AgentCpu(lab);
            var mIdle2 = EtcdMetrics(lab);

            Report(w, n, endpoints, conv, fromSent, connectMs, failures, syncs, m0, m1, cpu0, cpu1,
                new[] { (mIdle0, mIdle1, cpuIdle0, cpuIdle1), (mIdle1, mIdle2, cpuIdle1, cpuIdle2) }, idleSeconds);
        }
        finally
        {
            foreach (var p in connectors.Values.Concat(probes.Values)) p.Dispose();
            EmulatedLab.Stop(def.Name);
        }
    }

    private static string Probe(LabHost h) => $"p{h.Name.ToLowerInvariant()}";

    private static double Epoch() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>Runs a command in a fresh pwsh on a host (set-up only, never timed).</summary>
    private void Pwsh(LabHost h, string command)
    {
        var (code, o) = EmulatedLab.RunOnHost(h, null, _o.Pwsh!, "-NoProfile", "-NonInteractive", "-Command",
            $"$ErrorActionPreference = 'Stop'; Import-Module '{Manifest}'; {command}");
        if (code != 0) throw new InvalidOperationException($"on {h.Name}: {command}: {o.Trim()}");
    }

    // ---- etcd's own counters -------------------------------------------------------------

    /// <summary>
    /// Requests by gRPC method summed over the members (each client request reaches one member:
    /// grpc_server_started_total, which counts unary calls and stream opens alike, plus the
    /// messages received on streams: watch creates, lease keep-alives), and the raft proposals
    /// committed (every write, whoever sent it: the highest member's count).
    /// </summary>
    private static Dictionary<string, double> EtcdMetrics(LabInstance lab)
    {
        var sum = new Dictionary<string, double>(StringComparer.Ordinal);
        double proposals = 0;
        foreach (var m in lab.Store!.Members)
        {
            var (code, o) = EmulatedLab.RunOnHost(lab.Host(m.HostName), null, "curl", "-s", "--max-time", "5", $"http://127.0.0.1:{EtcdCluster.ClientPort}/metrics");
            if (code != 0) throw new InvalidOperationException($"metrics of etcd member {m.Name}: curl exited {code}: {o}");
            foreach (var line in o.Split('\n'))
            {
                if (line.StartsWith('#')) continue;
                int sp = line.LastIndexOf(' ');
                if (sp < 0 || !double.TryParse(line[(sp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) continue;
                if (line.StartsWith("etcd_server_proposals_committed_total ", StringComparison.Ordinal)) { proposals = Math.Max(proposals, v); continue; }
                string? kind = line.StartsWith("grpc_server_started_total{", StringComparison.Ordinal) ? "calls"
                    : line.StartsWith("grpc_server_msg_received_total{", StringComparison.Ordinal) ? "msgs" : null;
                if (kind == null) continue;
                string method = Label(line, "grpc_method"), type = Label(line, "grpc_type");
                // Unary calls receive one message each: count the call. Streams: opens and messages.
                if (kind == "msgs" && type == "unary") continue;
                string key = kind == "calls" ? (type == "unary" ? method : method + " (streams opened)") : method + " (messages)";
                sum[key] = sum.GetValueOrDefault(key) + v;
            }
        }
        sum["raft proposals committed"] = proposals;
        return sum;
    }

    private static string Label(string line, string label)
    {
        int i = line.IndexOf(label + "=\"", StringComparison.Ordinal);
        if (i < 0) return "";
        i += label.Length + 2;
        return line[i..line.IndexOf('"', i)];
    }

    private static Dictionary<string, double> Delta(Dictionary<string, double> a, Dictionary<string, double> b) =>
        b.Keys.Union(a.Keys).ToDictionary(k => k, k => b.GetValueOrDefault(k) - a.GetValueOrDefault(k));

    // ---- the agents' CPU ----------------------------------------------------------------------

    /// <summary>One agent's counters: utime + stime of the process in seconds (ended threads included), and per live thread (by tid) its name, CPU seconds and context switches.</summary>
    private sealed record AgentSample(double Cpu, Dictionary<int, (string Name, double Cpu, long Switches)> Threads);

    /// <summary>Every host's agent (its pidfile on the host's private /run/vnet, its /proc entry as this machine numbers it).</summary>
    private static Dictionary<string, AgentSample> AgentCpu(LabInstance lab)
    {
        var r = new Dictionary<string, AgentSample>(StringComparer.Ordinal);
        foreach (var h in lab.Hosts)
        {
            string pidFile = EmulatedLab.PathOnHost(h, "/run/vnet/agent/agent.pid");
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid)) continue;
            int outer = EmulatedLab.OuterProcessId(h, pid);
            if (outer == 0) continue;
            var threads = new Dictionary<int, (string, double, long)>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{outer}/task"))
            {
                try
                {
                    var (comm, cpu) = Stat(File.ReadAllText(Path.Combine(task, "stat")));
                    long switches = 0;
                    foreach (var l in File.ReadLines(Path.Combine(task, "status")))
                        if (l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || l.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            switches += long.Parse(l[(l.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (comm, cpu, switches);
                }
                catch (IOException) { } // a thread that ended meanwhile
            }
            r[h.Name] = new AgentSample(Stat(File.ReadAllText($"/proc/{outer}/stat")).Cpu, threads);
        }
        return r;
    }

    /// <summary>
    /// What the agents did between two samples: CPU ms per host; wake-ups (context switches) of
    /// the threads alive at both ends, per host; and CPU ms by thread name over all hosts, the rest
    /// under "(not attributed)": threads that started or ended in between, and each thread's
    /// rounding to whole clock ticks (the process's total is summed before it is rounded).
    /// </summary>
    private static (Dictionary<string, double> CpuMs, Dictionary<string, long> Wakeups, Dictionary<string, double> ByThread, Dictionary<string, long> WakeupsByThread) Idle(
        Dictionary<string, AgentSample> a, Dictionary<string, AgentSample> b)
    {
        var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
        var wake = new Dictionary<string, long>(StringComparer.Ordinal);
        var by = new Dictionary<string, double>(StringComparer.Ordinal);
        var wakeBy = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (h, s1) in b)
        {
            if (!a.TryGetValue(h, out var s0)) continue;
            cpu[h] = (s1.Cpu - s0.Cpu) * 1000;
            double live = 0;
            long w = 0;
            foreach (var (tid, t1) in s1.Threads)
            {
                if (!s0.Threads.TryGetValue(tid, out var t0) || t0.Name != t1.Name) continue;
                double d = (t1.Cpu - t0.Cpu) * 1000;
                live += d;
                w += t1.Switches - t0.Switches;
                if (t1.Switches > t0.Switches) wakeBy[t1.Name] = wakeBy.GetValueOrDefault(t1.Name) + t1.Switches - t0.Switches;
                if (d > 0) by[t1.Name] = by.GetValueOrDefault(t1.Name) + d;
            }
            wake[h] = w;
            if (cpu[h] - live > 0) by["(not attributed)"] = by.GetValueOrDefault("(not attributed)") + cpu[h] - live;
        }
        return (cpu, wake, by, wakeBy);
    }

    /// <summary>The agent's own timing of each overlay reconcile (snapshot read included) that changed something, from its log on the host.</summary>
    private static List<double> SyncTimes(LabInstance lab)
    {
        var r = new List<double>();
        var re = new System.Text.RegularExpressions.Regex(@"overlay: revision \d+: .* in ([0-9.]+) ms");
        foreach (var h in lab.Hosts)
        {
            string log = EmulatedLab.PathOnHost(h, "/run/vnet/agent/agent.log");
            if (!File.Exists(log)) continue;
            foreach (var l in File.ReadLines(log))
                if (re.Match(l) is { Success: true } m && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)) r.Add(ms);
        }
        return r;
    }

    /// <summary>The command and utime + stime (seconds) of a /proc stat line: fields after the command (which may hold spaces) in parentheses, utime 14 and stime 15.</summary>
    private static (string Comm, double Cpu) Stat(string stat)
    {
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        var f = stat[(close + 2)..].Split(' ');
        return (stat[(open + 1)..close], (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / (double)ClockTicks);
    }

    /// <summary>USER_HZ: 100 on every Linux architecture VNet runs on (getconf CLK_TCK).</summary>
    private static readonly int ClockTicks = int.TryParse(Bench.Sh("getconf", "CLK_TCK").Out.Trim(), out int t) && t > 0 ? t : 100;

    // ---- the report -----------------------------------------------------------------------------

    private void Report(string w, int n, int endpoints, List<double> conv, List<double> fromSent, List<double> connectMs, List<string> failures, List<double> syncs,
        Dictionary<string, double> m0, Dictionary<string, double> m1, Dictionary<string, AgentSample> cpu0, Dictionary<string, AgentSample> cpu1,
        (Dictionary<string, double> M0, Dictionary<string, double> M1, Dictionary<string, AgentSample> C0, Dictionary<string, AgentSample> C1)[] windows, int idleSeconds)
    {
        var sorted = conv.Order().ToArray();
        var cms = connectMs.Order().ToArray();
        var fs = fromSent.Order().ToArray();
        var perConnect = Delta(m0, m1).Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, connectMs.Count));
        var runCpuMs = cpu1.Keys.Where(cpu0.ContainsKey).ToDictionary(k => k, k => (cpu1[k].Cpu - cpu0[k].Cpu) * 1000);
        var sy = syncs.Order().ToArray();
        string note = $"{n} hosts, etcd on 3; {endpoints} endpoints connected on A/B/C in turn, lockstep; probe on another host";
        if (sorted.Length > 0)
            _results.Add(new Result(w, "convergence (s)", $"vnet, {n} hosts", sorted.Select(x => x / 1000).ToArray(), note));
        if (cms.Length > 0)
            _results.Add(new Result(w, "Connect-ContainerNetwork (s)", $"vnet, {n} hosts", cms.Select(x => x / 1000).ToArray(), "in one pwsh session per host"));

        string P(double[] a, double p) => a.Length == 0 ? "-" : DnsBench.P(a, p).ToString("F1", CultureInfo.InvariantCulture);
        _lines.Add($"\n{w}: {n} hosts (etcd members on A, B, C), {endpoints} endpoints, {sorted.Length} measured, {failures.Count} failed; load average at end {Load()}");
        _lines.Add($"  {"",-28} {"p50",8} {"p90",8} {"p99",8} {"max",8} {"min",8}");
        _lines.Add($"  {"convergence (ms)",-28} {P(sorted, 50),8} {P(sorted, 90),8} {P(sorted, 99),8} {P(sorted, 100),8} {(sorted.Length > 0 ? sorted[0].ToString("F1", CultureInfo.InvariantCulture) : "-"),8}");
        _lines.Add($"  {"from Connect sent (ms)",-28} {P(fs, 50),8} {P(fs, 90),8} {P(fs, 99),8} {P(fs, 100),8} {(fs.Length > 0 ? fs[0].ToString("F1", CultureInfo.InvariantCulture) : "-"),8}");
        _lines.Add($"  {"Connect-ContainerNetwork (ms)",-28} {P(cms, 50),8} {P(cms, 90),8} {P(cms, 99),8} {P(cms, 100),8} {(cms.Length > 0 ? cms[0].ToString("F1", CultureInfo.InvariantCulture) : "-"),8}");
        foreach (var f in failures.Take(5)) _lines.Add($"  failed: {f}");
        _lines.Add($"  etcd requests per Connect (all members, {connectMs.Count} Connects, agents' reactions included):");
        foreach (var (k, v) in perConnect) _lines.Add($"    {k,-40} {v,8:F2}");
        var idleOut = new List<object>();
        for (int i = 0; i < windows.Length; i++)
        {
            var (cpuMs, wakeups, byThread, wakeByThread) = Idle(windows[i].C0, windows[i].C1);
            var req = Delta(windows[i].M0, windows[i].M1).Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
            string when = $"idle {2 + i * idleSeconds}-{2 + (i + 1) * idleSeconds} s after";
            _lines.Add($"  {when}: agent CPU (utime+stime, ms) {string.Join(", ", cpuMs.Select(kv => $"{kv.Key} {kv.Value:F0}"))}");
            _lines.Add($"  {when}: wake-ups of the agents' threads alive throughout {string.Join(", ", wakeups.Select(kv => $"{kv.Key} {kv.Value}"))}");
            _lines.Add($"  {when}: wake-ups by thread, all hosts {string.Join(", ", wakeByThread.OrderByDescending(kv => kv.Value).Take(6).Select(kv => $"{kv.Key} {kv.Value}"))}");
            _lines.Add($"  {when}: agent CPU by thread, all hosts (ms) {string.Join(", ", byThread.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:F0}"))}");
            _lines.Add($"  {when}: etcd requests {(req.Count == 0 ? "none" : string.Join(", ", req.Select(kv => $"{kv.Key} {kv.Value:F0}")))}");
            idleOut.Add(new { window = when, agentCpuMs = cpuMs, wakeups, wakeupsByThread = wakeByThread, cpuMsByThread = byThread, etcdRequests = req });
        }
        _lines.Add($"  the agents' reconciles that changed entries ({sy.Length}, snapshot read included, from their logs): p50 {P(sy, 50)} ms, p99 {P(sy, 99)} ms, max {P(sy, 100)} ms");
        _lines.Add($"  during the {connectMs.Count} Connects: agent CPU (ms) {string.Join(", ", runCpuMs.Select(kv => $"{kv.Key} {kv.Value:F0}"))}");
        Summaries.Add(new
        {
            workload = w, hosts = n, endpoints, measured = sorted.Length, failures,
            convergenceMs = new { p50 = Pn(sorted, 50), p90 = Pn(sorted, 90), p99 = Pn(sorted, 99), max = Pn(sorted, 100), min = sorted.FirstOrDefault(), samples = conv },
            fromConnectSentMs = new { p50 = Pn(fs, 50), p90 = Pn(fs, 90), p99 = Pn(fs, 99), max = Pn(fs, 100) },
            connectMs = new { p50 = Pn(cms, 50), p90 = Pn(cms, 90), p99 = Pn(cms, 99), max = Pn(cms, 100) },
            etcdRequestsPerConnect = perConnect,
            idleSeconds, idle = idleOut, agentCpuMsDuringConnects = runCpuMs,
            agentReconcileMs = new { count = sy.Length, p50 = Pn(sy, 50), p99 = Pn(sy, 99), max = Pn(sy, 100) },
        });
    }

    private static double? Pn(double[] a, double p) => a.Length == 0 ? null : DnsBench.P(a, p);
}

/// <summary>A long-lived program on a lab host (nsenter into its namespaces), talked to a line at a time over stdin/stdout.</summary>
sealed class HostProcess : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _err = new();
    private readonly string _what;

    private HostProcess(Process p, string what) { _p = p; _what = what; }

    public static HostProcess Start(LabHost h, string file, params string[] args)
    {
        var psi = EmulatedLab.OnHost(h, file, args);
        psi.RedirectStandardInput = true;
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start on {h.Name}");
        var hp = new HostProcess(p, $"{Path.GetFileName(file)} on {h.Name}");
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (hp._err) hp._err.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        p.StandardInput.AutoFlush = true;
        return hp;
    }

    public void Send(string line) => _p.StandardInput.WriteLine(line);

    public string ReadLine()
    {
        var t = _p.StandardOutput.ReadLineAsync();
        if (!t.Wait(TimeSpan.FromSeconds(90))) throw new TimeoutException($"{_what}: no answer in 90 s; stderr: {Err()}");
        return t.Result ?? throw new InvalidOperationException($"{_what} ended; stderr: {Err()}");
    }

    /// <summary>Reads lines until one equals <paramref name="line"/> (start-up chatter before it is skipped).</summary>
    public void Expect(string line)
    {
        while (ReadLine().Trim() != line) { }
    }

    private string Err() { lock (_err) return _err.ToString().Trim(); }

    public void Dispose()
    {
        try { _p.StandardInput.Close(); } catch (IOException) { }
        if (!_p.WaitForExit(5000))
            try { _p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _p.Dispose();
    }
}
