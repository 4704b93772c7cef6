using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using VNet.Core.Links;
using VNet.Core.Native;

namespace VNet.Core.Lab;

/// <summary>One emulated host of a running lab, and how to reach it.</summary>
public sealed class LabHost
{
    public string Name { get; init; } = "";
    public string Address { get; init; } = "";
    public string Device { get; init; } = "";
    /// <summary>
    /// The host's init: PID 1 of the host's PID namespace, as this machine sees it. Its
    /// /proc/PID/ns/{net,mnt,pid} are the host's; nsenter --target PID enters the host.
    /// </summary>
    public int ProcessId { get; init; }
    /// <summary>
    /// The unshare process that holds the host up: kill -9 of it is a power loss (the kernel ends
    /// init, and with it everything on the host: agent, etcd member, shells).
    /// </summary>
    public int AnchorProcessId { get; init; }
    /// <summary>The host's id in the cluster store (random hex, made once per lab), when the lab has one.</summary>
    public string? StoreHostId { get; set; }
    /// <summary>False once the host was killed (Stop-VNetLab -HostName, or its anchor killed). A VM (Vagrant: no local process) counts as running.</summary>
    [JsonIgnore]
    public bool Running => ProcessId <= 0 || EmulatedLab.IsHostAlive(this);
    /// <summary>The host's network namespace, also named in the caller's /run/netns as this.</summary>
    public string Namespace { get; init; } = "";
    /// <summary>The host's own /run/netns, seen from outside (mounts propagate both ways). Its
    /// /run/vnet, /var/lib/vnet, /etc/vnet and /etc/netns are private tmpfs mounts, not seen here.</summary>
    public string NetnsDirectory { get; init; } = "";
    public override string ToString() => $"{Name} ({Address})";
}

/// <summary>A running lab: what Start made, kept under /run/vnet/lab/NAME/state.json.</summary>
public sealed class LabInstance
{
    public string Name { get; init; } = "";
    public string Backend { get; init; } = "Emulated";
    public string Underlay { get; init; } = "";
    public string SwitchNamespace { get; init; } = "";
    /// <summary>For the Vagrant backend: the folder holding the Vagrantfile.</summary>
    public string? Directory { get; init; }
    public List<LabHost> Hosts { get; init; } = new();
    /// <summary>The lab's cluster store (etcd), when the lab file or Start-VNetLab -Store asked for one.</summary>
    public LabStore? Store { get; set; }
    public LabHost Host(string name) => Hosts.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw Messages.Error("LabHostNotFound", VNetErrorCategory.ObjectNotFound, name, name, Name);
    public override string ToString() => $"{Name}: {string.Join(", ", Hosts)}";
}

/// <summary>
/// The emulated lab: each host is an init process in network, mount and PID namespaces of its own
/// (unshare --fork --kill-child under an anchor), so a host behaves like a machine: kill -9 of the
/// anchor ends everything on it, as a power loss would. Its /run/netns is a shared bind of
/// /run/vnet/lab/LAB/HOST/netns, so a container named c1 can exist on every host; its /run/vnet,
/// /var/lib/vnet, /etc/vnet and /etc/netns are private tmpfs mounts, so each host has its own VNet
/// state (networks, leases, agent pidfile, store.json, resolv.conf of its containers). Hosts are
/// wired to a switch (a bridge in a namespace of its own) through an underlay interface (eth1).
/// Running something "on host A" enters its namespaces with nsenter, as ssh would on a VM.
/// </summary>
public static class EmulatedLab
{
    public const string StateRoot = "/run/vnet/lab";

    /// <summary>The folders each host gets a private tmpfs on: VNet's state roots and the per-namespace resolv.conf folder.</summary>
    public static readonly string[] PrivateRoots = { "/run/vnet", "/var/lib/vnet", "/etc/vnet", "/etc/netns" };

    private static string StateFile(string lab) => Path.Combine(StateRoot, lab, "state.json");

    public static LabInstance Start(LabDefinition def)
    {
        if (File.Exists(StateFile(def.Name)))
            throw Messages.Error("LabExists", VNetErrorCategory.ResourceExists, def.Name, def.Name);
        var started = new List<LabHost>();
        string sw = $"vnetlab-{def.Name}";
        using var ctx = new NetContext();
        try
        {
            ctx.Namespaces.Create(sw);
            ctx.BridgeOperations.Create("ul0", sw, mtu: def.Underlay.Mtu);
            int prefix = Validation.Cidr(def.Underlay.Subnet).PrefixLength;
            foreach (var h in def.Hosts)
            {
                var host = StartHost(def.Name, h);
                started.Add(host);
                ctx.Namespaces.Name(host.Namespace, $"/proc/{host.ProcessId}/ns/net");
                ctx.Veths.Create(new VethSpec { Name = SwitchPort(def.Name, h.Name), Namespace = sw, PeerName = h.Device, PeerNamespace = host.Namespace, Mtu = def.Underlay.Mtu });
                ctx.Bridges.AddPort("ul0", SwitchPort(def.Name, h.Name), sw);
                ctx.Links.SetUp("lo", true, host.Namespace);
                ctx.Addresses.Add(h.Device, $"{h.Address}/{prefix}", host.Namespace);
            }
            var lab = new LabInstance { Name = def.Name, Underlay = def.Underlay.Subnet, SwitchNamespace = sw, Hosts = started };
            WriteState(lab);
            if (string.Equals(def.Store, LabDefinition.EtcdStore, StringComparison.OrdinalIgnoreCase))
            {
                EtcdCluster.Start(lab);
                WriteState(lab);
            }
            return lab;
        }
        catch
        {
            Teardown(def.Name, sw, started, ctx);
            throw;
        }
    }

    private static string SwitchPort(string lab, string host) => $"{lab}-{host}";

    // Runs as the host's first process (PID 1 of its PID namespace). Every mount is made on a
    // mount made private first, so nothing propagates back to the caller: /run/netns is detached
    // from the caller's (shared) one and replaced by the host's shared folder; /sys is remounted
    // so it shows the host's interfaces; the private roots get fresh tmpfs. Then it stays as init:
    // a shell waiting in a loop, which reaps what is orphaned on the host (a killed agent's
    // children), so no dead process lingers as a zombie that still answers kill -0.
    private const string HostInit = """
        set -e
        priv() { mkdir -p "$1"; mount --make-private "$(findmnt -n -f -o TARGET -T "$1")"; }
        priv /run/netns; mount --bind "$0" /run/netns
        priv /sys; mount -t sysfs sysfs /sys 2>/dev/null || true
        for d in "$@"; do priv "$d"; mount -t tmpfs -o mode=0755 vnet-lab-host "$d"; done
        ip link set lo up
        echo ready
        exec sh -c 'while :; do sleep 2147483647 & wait; done'
        """;

    private static LabHost StartHost(string lab, HostDefinition h)
    {
        string dir = Path.Combine(StateRoot, lab, h.Name, "netns");
        Directory.CreateDirectory(dir);
        // A shared mount point, so that names made inside the host appear here and vice versa. Made
        // private before shared, so it is a peer group of its own: where /run is shared (systemd),
        // the bind would otherwise join /run's group, and a name made on one host would propagate
        // into /run/vnet itself (a second mount on the same file).
        Sys.Mount(dir, dir, "none", Sys.MS_BIND);
        Sys.Mount("none", dir, null, Sys.MS_PRIVATE);
        Sys.Mount("none", dir, null, Sys.MS_SHARED);
        var psi = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // --propagation unchanged keeps the host's copy of the folder above shared with the
        // caller's; --kill-child makes the anchor's death the host's (init gets SIGKILL, and the
        // kernel ends every process of a PID namespace whose init died); --mount-proc gives the
        // host a /proc of its own processes.
        foreach (var a in new[] { "--net", "--mount", "--propagation", "unchanged", "--pid", "--fork", "--kill-child", "--mount-proc",
                     "--", "sh", "-c", HostInit, dir })
            psi.ArgumentList.Add(a);
        foreach (var r in PrivateRoots) psi.ArgumentList.Add(r);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("unshare did not start");
        string? line = p.StandardOutput.ReadLine();
        int init = line == "ready" ? ChildOf(p.Id) : 0;
        if (init == 0)
        {
            string err = line == "ready" ? "its init process was not found" : p.StandardError.ReadToEnd();
            try { p.Kill(); } catch (InvalidOperationException) { }
            throw Messages.Error("LabHostFailed", VNetErrorCategory.InvalidOperation, h.Name, h.Name, err.Trim());
        }
        return new LabHost
        {
            Name = h.Name, Address = h.Address, Device = h.Device, ProcessId = init, AnchorProcessId = p.Id,
            Namespace = $"vnetlab-{lab}-{h.Name}", NetnsDirectory = dir,
        };
    }

    /// <summary>The one child of the anchor (the host's init), as this machine's /proc numbers it.</summary>
    private static int ChildOf(int pid)
    {
        string f = $"/proc/{pid}/task/{pid}/children";
        if (File.Exists(f) && int.TryParse(File.ReadAllText(f).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out int c)) return c;
        foreach (var d in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(d), out int q) && StatusField(q, "PPid") == pid.ToString()) return q;
        return 0;
    }

    private static string? StatusField(int pid, string field)
    {
        try
        {
            foreach (var l in File.ReadLines($"/proc/{pid}/status"))
                if (l.StartsWith(field + ":", StringComparison.Ordinal)) return l[(field.Length + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    /// <summary>The host's init lives, and is still the anchor's child (not a later process that got the same number).</summary>
    internal static bool IsHostAlive(LabHost h) =>
        IsAlive(h.ProcessId) && (h.AnchorProcessId <= 0 || StatusField(h.ProcessId, "PPid") == h.AnchorProcessId.ToString());

    /// <summary>True while the process exists and is not a zombie (a dead process not yet reaped still has a /proc entry).</summary>
    public static bool IsAlive(int pid)
    {
        string? state = StatusField(pid, "State");
        return state != null && !state.StartsWith('Z') && !state.StartsWith('X');
    }

    public static LabInstance? Get(string name)
    {
        string f = StateFile(name);
        if (!File.Exists(f)) return null;
        var lab = JsonSerializer.Deserialize<LabInstance>(File.ReadAllText(f));
        // Stale state (every anchor is gone, e.g. after a crash) is reported as not running; a lab
        // with some of its hosts killed is still running (LabHost.Running says which).
        if (lab?.Backend == "Vagrant") return lab;
        return lab != null && lab.Hosts.Any(h => h.Running) ? lab : null;
    }

    /// <summary>The running lab, or LabNotFound.</summary>
    public static LabInstance Require(string name) =>
        Get(name) ?? throw Messages.Error("LabNotFound", VNetErrorCategory.ObjectNotFound, name, name);

    /// <summary>A host of the lab that is up, or LabHostNotFound / LabHostNotRunning.</summary>
    public static LabHost RunningHost(LabInstance lab, string hostName)
    {
        var h = lab.Host(hostName);
        if (!h.Running)
            throw Messages.Error("LabHostNotRunning", VNetErrorCategory.InvalidOperation, h.Name, h.Name, lab.Name);
        return h;
    }

    public static List<LabInstance> List() =>
        Directory.Exists(StateRoot)
            ? Directory.EnumerateDirectories(StateRoot).Select(d => Get(Path.GetFileName(d))).OfType<LabInstance>().ToList()
            : new List<LabInstance>();

    /// <summary>Stops a lab: every host's namespaces (and the containers in them) go. False if it was not running.</summary>
    public static bool Stop(string name)
    {
        string f = StateFile(name);
        LabInstance? lab = File.Exists(f) ? JsonSerializer.Deserialize<LabInstance>(File.ReadAllText(f)) : null;
        if (lab == null && !Directory.Exists(Path.Combine(StateRoot, name))) return false;
        if (lab?.Backend == "Vagrant")
        {
            VagrantLab.Destroy(lab);
            Directory.Delete(Path.Combine(StateRoot, name), recursive: true);
            return true;
        }
        using var ctx = new NetContext();
        Teardown(name, lab?.SwitchNamespace ?? $"vnetlab-{name}", lab?.Hosts ?? new List<LabHost>(), ctx);
        return true;
    }

    /// <summary>
    /// Kills one host as a power loss would: SIGKILL to its anchor (the kernel ends init and every
    /// process on the host: agent, etcd member, shells; its private tmpfs roots go with its mount
    /// namespace), then unplugs it from the switch, so the others see silence (timeouts), not
    /// refused connections. Its containers' namespaces stay until Stop-VNetLab, like a dead
    /// machine's disk. False if the host was already down.
    /// </summary>
    public static bool StopHost(string labName, string hostName)
    {
        var lab = Require(labName);
        if (lab.Backend == "Vagrant")
            throw Messages.Error("LabBackendUnsupported", VNetErrorCategory.NotImplemented, labName, labName, "stopping one host", "Vagrant", "vagrant halt -f " + hostName);
        var h = lab.Host(hostName);
        if (!h.Running) return false;
        KillHost(h);
        using var ctx = new NetContext();
        try { ctx.Links.Remove(SwitchPort(lab.Name, h.Name), lab.SwitchNamespace); } catch (VNetException) { }
        return true;
    }

    private static void KillHost(LabHost h)
    {
        foreach (int pid in new[] { h.AnchorProcessId, h.ProcessId })
        {
            if (pid <= 0 || !IsAlive(pid)) continue;
            try { Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        }
        // The kernel tears the PID namespace down asynchronously: wait until init is gone, so the
        // caller may check right away that nothing of the host is left.
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((IsAlive(h.ProcessId) || (h.AnchorProcessId > 0 && IsAlive(h.AnchorProcessId))) && DateTime.UtcNow < until) Thread.Sleep(20);
    }

    private static void Teardown(string lab, string sw, List<LabHost> hosts, NetContext ctx)
    {
        foreach (var h in hosts)
        {
            if (h.AnchorProcessId > 0) KillHost(h);
            else
            {
                // State written before hosts had PID namespaces: the anchor is the process itself.
                try { Process.GetProcessById(h.ProcessId).Kill(entireProcessTree: true); }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
            }
            try { ctx.Namespaces.Remove(h.Namespace, strict: false); } catch (VNetException) { }
        }
        try { ctx.Namespaces.Remove(sw, strict: false); } catch (VNetException) { }
        string root = Path.Combine(StateRoot, lab);
        if (Directory.Exists(root))
        {
            foreach (var dir in Directory.EnumerateDirectories(root))
            {
                string netns = Path.Combine(dir, "netns");
                if (Directory.Exists(netns))
                {
                    // Container names made on the host are mounts under here: detach them all.
                    foreach (var n in Directory.EnumerateFileSystemEntries(netns)) Sys.Umount(n, Sys.MNT_DETACH);
                    Sys.Umount(netns, Sys.MNT_DETACH);
                }
            }
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    internal static void WriteState(LabInstance lab)
    {
        AtomicFile.Write(StateFile(lab.Name), JsonSerializer.SerializeToUtf8Bytes(lab, new JsonSerializerOptions { WriteIndented = true }), sync: false);
    }

    /// <summary>A core context that works on a host's kernel objects as if it ran there: its namespace by default, its /run/netns for names.
    /// (VNet's files under /run/vnet etc. are the caller's, not the host's: run state-keeping operations on the host with OnHost.)</summary>
    public static NetContext ContextFor(LabHost host) => new(host.NetnsDirectory, $"/proc/{host.ProcessId}/ns/net");

    /// <summary>The command line that runs a program on a host (nsenter into its network, mount and PID namespaces).</summary>
    public static ProcessStartInfo OnHost(LabHost host, string file, params string[] args)
    {
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--target", host.ProcessId.ToString(), "--net", "--mount", "--pid", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The host has its own VNet roots: a caller's VNET_*_DIR (a test's scratch folder) would
        // point VNet on the host back at the caller's files.
        foreach (var v in new[] { Networks.StateRoots.StateEnv, Networks.StateRoots.RunEnv, Networks.StateRoots.ConfigEnv }) psi.Environment.Remove(v);
        return psi;
    }

    /// <summary>Runs a program on a host to its end: exit code and output (stdout then stderr).</summary>
    public static (int Code, string Output) RunOnHost(LabHost host, IDictionary<string, string>? env, string file, params string[] args)
    {
        var psi = OnHost(host, file, args);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o + err.Result);
    }

    /// <summary>
    /// Starts a program on a host in the background, detached (its own session, output to a log
    /// file on the host, default /run/vnet/lab-log/PROGRAM.log), and returns at once. It lives as
    /// long as the host: killing the host ends it.
    /// </summary>
    public static LabProcess StartProcess(LabInstance lab, LabHost host, string file, IReadOnlyList<string> args,
        string? logPath = null, IDictionary<string, string>? env = null)
    {
        if (!host.Running) throw Messages.Error("LabHostNotRunning", VNetErrorCategory.InvalidOperation, host.Name, host.Name, lab.Name);
        logPath ??= $"/run/vnet/lab-log/{Path.GetFileName(file)}.log";
        var (code, output) = RunOnHost(host, env, "sh", new[] { "-c",
            "log=$1; shift; command -v \"$1\" >/dev/null || { echo \"$1: not found on the host's PATH\"; exit 127; }; " +
            "mkdir -p \"$(dirname \"$log\")\"; setsid \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!", "sh", logPath, file }
            .Concat(args).ToArray());
        if (code != 0 || !int.TryParse(output.Trim(), out int pid))
            throw Messages.Error("LabProcessFailed", VNetErrorCategory.InvalidOperation, file, file, host.Name, output.Trim());
        // Return once the program runs (the background shell has exec'd setsid, and setsid the
        // program), so what the caller checks next is the program; one that could not be executed
        // is an error with setsid's words from the log.
        int outer = OuterProcessId(host, pid);
        var until = DateTime.UtcNow.AddSeconds(5);
        while (outer > 0 && IsAlive(outer) && Comm(outer) is "sh" or "setsid" && DateTime.UtcNow < until) Thread.Sleep(10);
        if (outer == 0 || !IsAlive(outer))
        {
            string log = "";
            try { log = File.ReadAllText(PathOnHost(host, logPath)); } catch (IOException) { }
            if (log.Contains("setsid: failed to execute", StringComparison.Ordinal))
                throw Messages.Error("LabProcessFailed", VNetErrorCategory.ObjectNotFound, file, file, host.Name, log.Trim());
        }
        return new LabProcess
        {
            LabName = lab.Name, HostName = host.Name, ProcessId = pid, OuterProcessId = outer,
            CommandLine = string.Join(' ', new[] { file }.Concat(args)), LogPath = logPath,
        };
    }

    /// <summary>
    /// The PID this machine's /proc gives a process that the host numbers <paramref name="pidOnHost"/>
    /// (0 if there is none): the last field of NSpid is the number in the innermost PID namespace.
    /// </summary>
    public static int OuterProcessId(LabHost host, int pidOnHost)
    {
        string hostPidNs;
        try { hostPidNs = new FileInfo($"/proc/{host.ProcessId}/ns/pid").LinkTarget ?? ""; }
        catch (IOException) { return 0; }
        if (hostPidNs == "") return 0;
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out int q)) continue;
            var nspid = StatusField(q, "NSpid")?.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
            if (nspid is not { Length: >= 2 } || nspid[^1] != pidOnHost.ToString()) continue;
            try { if (new FileInfo($"/proc/{q}/ns/pid").LinkTarget == hostPidNs) return q; }
            catch (IOException) { }
        }
        return 0;
    }

    /// <summary>Sends SIGKILL to a process of a host (by its PID on the host) and waits until it is gone. False if it was not running.</summary>
    public static bool KillProcess(LabHost host, int pidOnHost)
    {
        int outer = OuterProcessId(host, pidOnHost);
        if (outer == 0 || !IsAlive(outer)) return false;
        try { Process.GetProcessById(outer).Kill(); }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
        var until = DateTime.UtcNow.AddSeconds(10);
        while (IsAlive(outer) && DateTime.UtcNow < until) Thread.Sleep(20);
        return true;
    }

    /// <summary>A path on a host (its private mounts included) as this machine can open it: through the host init's root.</summary>
    public static string PathOnHost(LabHost host, string path) => $"/proc/{host.ProcessId}/root{path}";
}

/// <summary>A program started on a lab host in the background (Start-VNetLabProcess).</summary>
public sealed class LabProcess
{
    public string LabName { get; init; } = "";
    public string HostName { get; init; } = "";
    /// <summary>The PID on the host (what ps, kill and /proc show there).</summary>
    public int ProcessId { get; init; }
    /// <summary>The same process's PID as this machine numbers it (0 if it already ended).</summary>
    public int OuterProcessId { get; init; }
    public string CommandLine { get; init; } = "";
    /// <summary>Where its output goes, on the host.</summary>
    public string LogPath { get; init; } = "";
    public override string ToString() => $"{HostName}:{ProcessId} {CommandLine}";
}
