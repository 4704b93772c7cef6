using System.Security.Cryptography;
using System.Text.Json;
using VNet.Core.Native;
using VNet.Core.Networks.Cluster;

namespace VNet.Core.Lab;

/// <summary>A lab's cluster store: the etcd members it runs and the client URLs every host is pointed at.</summary>
public sealed class LabStore
{
    public string Kind { get; init; } = LabDefinition.EtcdStore;
    /// <summary>The members' client URLs, as written into every host's store.json.</summary>
    public List<string> Endpoints { get; init; } = new();
    public List<EtcdMember> Members { get; init; } = new();
    public override string ToString() => $"{Kind}: {string.Join(", ", Endpoints)}";
}

/// <summary>One etcd member of a lab, running on its host (inside the host's namespaces, so it dies with the host).</summary>
public sealed class EtcdMember
{
    public string Name { get; init; } = "";
    public string HostName { get; init; } = "";
    public string ClientUrl { get; init; } = "";
    public string PeerUrl { get; init; } = "";
    /// <summary>On the host: under its private /var/lib/vnet, so it goes with the host.</summary>
    public string DataDirectory { get; init; } = "";
    /// <summary>etcd's output, on the host (read it from here with Invoke-VNetLabCommand or EtcdCluster.Log).</summary>
    public string LogPath { get; init; } = "";
    /// <summary>The member's PID on its host; 0 after Stop-VNetLabStore.</summary>
    public int ProcessId { get; set; }
    public override string ToString() => $"{Name} {ClientUrl}";
}

/// <summary>
/// The etcd cluster of a lab (issue #11): one member per host, or three (on the first three hosts)
/// for three or more hosts, each started ON its host with Start-VNetLabProcess's mechanism, so
/// killing the host kills the member. Members listen on the host's underlay address (client 2379,
/// peer 2380) and on its loopback; heartbeat 100 ms and election timeout 500 ms, so a lost leader
/// is replaced within a second and the quorum tests stay short. When the cluster is healthy, every
/// host's private /etc/vnet/store.json is written: the members' client URLs, the host's underlay
/// address to advertise, its lab name and a random host id kept for the lab's life.
/// </summary>
public static class EtcdCluster
{
    public const int ClientPort = 2379;
    public const int PeerPort = 2380;
    public const int HeartbeatMs = 100;
    public const int ElectionMs = 500;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private const string DataRoot = "/var/lib/vnet/lab-etcd";
    private const string LogFile = "/run/vnet/lab-log/etcd.log";

    /// <summary>Starts the members, waits until the cluster is healthy, then points every host at it. Sets <see cref="LabInstance.Store"/>.</summary>
    public static LabStore Start(LabInstance lab, TimeSpan? timeout = null)
    {
        var store = Plan(lab);
        foreach (var m in store.Members) Launch(lab, m);
        WaitHealthy(lab, store.Members, timeout ?? DefaultTimeout);
        foreach (var h in lab.Hosts) WriteSettings(h, store);
        return store;
    }

    /// <summary>
    /// On the Vagrant backend the Vagrantfile's provisioning configured and started etcd (the
    /// Debian service, same settings) and wrote each VM's store.json: record the members and wait
    /// until the cluster is healthy.
    /// </summary>
    public static LabStore Attach(LabInstance lab, TimeSpan? timeout = null)
    {
        var store = Plan(lab);
        WaitHealthy(lab, store.Members, timeout ?? TimeSpan.FromSeconds(120));
        return store;
    }

    /// <summary>Which hosts run members (all of two, the first three of more), and where they listen.</summary>
    private static LabStore Plan(LabInstance lab)
    {
        var hosts = lab.Hosts.Count >= 3 ? lab.Hosts.Take(3).ToList() : lab.Hosts.ToList();
        bool vagrant = lab.Backend == "Vagrant";
        var store = new LabStore
        {
            Members = hosts.Select(h => new EtcdMember
            {
                Name = h.Name, HostName = h.Name,
                ClientUrl = $"http://{h.Address}:{ClientPort}", PeerUrl = $"http://{h.Address}:{PeerPort}",
                DataDirectory = vagrant ? VagrantDataDirectory : $"{DataRoot}/{h.Name}", LogPath = vagrant ? "journalctl -u etcd" : LogFile,
            }).ToList(),
        };
        store.Endpoints.AddRange(store.Members.Select(m => m.ClientUrl));
        lab.Store = store;
        return store;
    }

    /// <summary>Where the Vagrantfile puts a member's data (not Debian's default cluster's folder).</summary>
    public const string VagrantDataDirectory = "/var/lib/etcd/vnetlab";

    private static string[] MemberArgs(LabInstance lab, LabStore store, EtcdMember m)
    {
        return new[]
        {
            "--name", m.Name, "--data-dir", m.DataDirectory,
            "--listen-client-urls", $"{m.ClientUrl},http://127.0.0.1:{ClientPort}", "--advertise-client-urls", m.ClientUrl,
            "--listen-peer-urls", m.PeerUrl, "--initial-advertise-peer-urls", m.PeerUrl,
            // Ignored on a restart (the member's data directory already holds the cluster).
            "--initial-cluster", string.Join(',', store.Members.Select(x => $"{x.Name}={x.PeerUrl}")),
            "--initial-cluster-state", "new", "--initial-cluster-token", $"vnetlab-{lab.Name}",
            "--heartbeat-interval", HeartbeatMs.ToString(), "--election-timeout", ElectionMs.ToString(),
            "--logger", "zap", "--log-outputs", "stderr",
        };
    }

    private static void Launch(LabInstance lab, EtcdMember m)
    {
        if (lab.Backend == "Vagrant")
        {
            VagrantLab.Run(lab, lab.Host(m.HostName), "systemctl start --no-block etcd");
            return;
        }
        var host = EmulatedLab.RunningHost(lab, m.HostName);
        var p = EmulatedLab.StartProcess(lab, host, "etcd", MemberArgs(lab, lab.Store!, m), m.LogPath);
        m.ProcessId = p.ProcessId;
    }

    /// <summary>True while the member's process runs on a running host.</summary>
    public static bool IsRunning(LabInstance lab, EtcdMember m)
    {
        var h = lab.Host(m.HostName);
        if (lab.Backend == "Vagrant") return VagrantLab.Run(lab, h, "systemctl is-active --quiet etcd").Code == 0;
        if (m.ProcessId <= 0 || !h.Running) return false;
        int outer = EmulatedLab.OuterProcessId(h, m.ProcessId);
        return outer > 0 && EmulatedLab.IsAlive(outer);
    }

    private static LabStore StoreOf(LabInstance lab) =>
        lab.Store ?? throw Messages.Error("LabStoreNotFound", VNetErrorCategory.ObjectNotFound, lab.Name, lab.Name);

    private static EtcdMember Member(LabInstance lab, string hostName)
    {
        var store = StoreOf(lab);
        var h = lab.Host(hostName);
        return store.Members.FirstOrDefault(m => m.HostName == h.Name)
            ?? throw Messages.Error("LabStoreMemberNotFound", VNetErrorCategory.ObjectNotFound, h.Name, h.Name, lab.Name,
                string.Join(", ", store.Members.Select(m => m.HostName)));
    }

    /// <summary>Kills one member (SIGKILL, like a crash; its data stays on the host). False if it was not running.</summary>
    public static bool StopMember(string labName, string hostName)
    {
        var lab = EmulatedLab.Require(labName);
        var m = Member(lab, hostName);
        bool was = IsRunning(lab, m) && (lab.Backend == "Vagrant"
            // SIGKILL like a crash, then stop, so systemd does not restart it behind the test's back.
            ? VagrantLab.Run(lab, lab.Host(m.HostName), "sh -c 'systemctl kill -s KILL etcd; systemctl stop etcd'").Code == 0
            : EmulatedLab.KillProcess(lab.Host(m.HostName), m.ProcessId));
        m.ProcessId = 0;
        EmulatedLab.WriteState(lab);
        return was;
    }

    /// <summary>
    /// Starts the named members again (all members not running when none is named) from their data,
    /// then waits until every running member answers healthy (which needs a quorum). Returns the
    /// members started.
    /// </summary>
    public static List<EtcdMember> StartMembers(string labName, IReadOnlyCollection<string>? hostNames = null, TimeSpan? timeout = null)
    {
        var lab = EmulatedLab.Require(labName);
        var store = StoreOf(lab);
        var wanted = hostNames is { Count: > 0 } ? hostNames.Select(n => Member(lab, n)).ToList() : store.Members;
        var started = new List<EtcdMember>();
        try
        {
            foreach (var m in wanted.Where(m => !IsRunning(lab, m)))
            {
                Launch(lab, m);
                started.Add(m);
            }
        }
        finally { EmulatedLab.WriteState(lab); }
        WaitHealthy(lab, store.Members.Where(m => IsRunning(lab, m) || started.Contains(m)).ToList(), timeout ?? DefaultTimeout);
        return started;
    }

    /// <summary>
    /// Waits until `etcdctl endpoint health` passes for every given member, run on the first of
    /// their hosts; fails early when a member's process ended. The error carries etcdctl's answer
    /// and the tail of each member's log.
    /// </summary>
    public static void WaitHealthy(LabInstance lab, IReadOnlyList<EtcdMember> members, TimeSpan timeout)
    {
        if (members.Count == 0) throw Messages.Error("LabStoreFailed", VNetErrorCategory.InvalidOperation, lab.Name, lab.Name, "no member is running.");
        var on = lab.Host(members[0].HostName);
        var until = DateTime.UtcNow + timeout;
        string last = "";
        while (true)
        {
            var dead = members.Where(m => !IsRunning(lab, m)).ToList();
            if (dead.Count > 0) throw Failed(lab, members, $"member {string.Join(", ", dead.Select(d => d.Name))} exited");
            var (code, output) = Etcdctl(lab, on, members.Select(m => m.ClientUrl), "endpoint", "health");
            if (code == 0) return;
            last = output.Trim();
            if (DateTime.UtcNow > until) throw Failed(lab, members, $"not healthy after {timeout.TotalSeconds:0} s; etcdctl endpoint health said: {last}");
            Thread.Sleep(250);
        }
    }

    private static VNetException Failed(LabInstance lab, IEnumerable<EtcdMember> members, string why)
    {
        var text = new System.Text.StringBuilder(why).Append('.');
        foreach (var m in members) text.Append($"\n--- etcd log of member {m.Name} (host {m.HostName}, {m.LogPath}), last lines:\n").Append(Log(lab, m, 12));
        return Messages.Error("LabStoreFailed", VNetErrorCategory.InvalidOperation, lab.Name, lab.Name, text.ToString());
    }

    /// <summary>The last <paramref name="lines"/> lines of a member's log (empty when its host is down: the log was on its tmpfs).</summary>
    public static string Log(LabInstance lab, EtcdMember m, int lines = 50)
    {
        var h = lab.Host(m.HostName);
        if (lab.Backend == "Vagrant") return VagrantLab.Run(lab, h, $"journalctl -u etcd -n {lines} --no-pager").Output;
        if (!h.Running) return "(host is down)";
        try { return string.Join('\n', File.ReadLines(EmulatedLab.PathOnHost(h, m.LogPath)).TakeLast(lines)); }
        catch (IOException e) { return $"(no log: {e.Message})"; }
        catch (UnauthorizedAccessException e) { return $"(no log: {e.Message})"; }
    }

    /// <summary>Runs etcdctl (API v3) on a host against the given endpoints, with short deadlines.</summary>
    public static (int Code, string Output) Etcdctl(LabInstance lab, LabHost on, IEnumerable<string> endpoints, params string[] args)
    {
        var all = new[] { "--endpoints", string.Join(',', endpoints), "--dial-timeout", "1s", "--command-timeout", "2s" }.Concat(args).ToArray();
        return lab.Backend == "Vagrant"
            ? VagrantLab.Run(lab, on, "env ETCDCTL_API=3 etcdctl " + string.Join(' ', all.Select(VagrantLab.Quote)))
            : EmulatedLab.RunOnHost(on, new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, "etcdctl", all);
    }

    /// <summary>Writes the host's store.json into its private /etc/vnet (through its init's root: the caller's /etc/vnet is not touched).</summary>
    private static void WriteSettings(LabHost h, LabStore store)
    {
        h.StoreHostId ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var settings = new StoreSettings
        {
            Endpoints = store.Endpoints.ToList(), AdvertiseAddress = h.Address, HostName = h.Name, HostId = h.StoreHostId,
        };
        AtomicFile.Write(EmulatedLab.PathOnHost(h, "/etc/vnet/store.json"),
            JsonSerializer.SerializeToUtf8Bytes(settings, new JsonSerializerOptions { WriteIndented = true }));
    }
}
