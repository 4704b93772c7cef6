using System.Diagnostics;
using System.Text.Json;
using VNet.Core.Links;
using VNet.Core.Native;

namespace VNet.Core.Lab;

/// <summary>One emulated host of a running lab, and how to reach it.</summary>
public sealed class LabHost
{
    public string Name { get; init; } = "";
    public string Address { get; init; } = "";
    public string Device { get; init; } = "";
    /// <summary>The anchor process whose network and mount namespaces are the host.</summary>
    public int ProcessId { get; init; }
    /// <summary>The host's network namespace, also named in the caller's /run/netns as this.</summary>
    public string Namespace { get; init; } = "";
    /// <summary>The host's own /run/netns, seen from outside (mounts propagate both ways).</summary>
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
    public LabHost Host(string name) => Hosts.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw Messages.Error("LabHostNotFound", VNetErrorCategory.ObjectNotFound, name, name, Name);
    public override string ToString() => $"{Name}: {string.Join(", ", Hosts)}";
}

/// <summary>
/// The emulated lab: each host is an anchor process with a network namespace AND a mount
/// namespace of its own, whose /run/netns is a shared bind of /run/vnet/lab/LAB/HOST/netns, so a
/// container named c1 can exist on every host, exactly as on separate machines. Hosts are wired to
/// a switch (a bridge in a namespace of its own) through an underlay interface (eth1). Running
/// something "on host A" enters both namespaces with nsenter, as ssh would on a VM.
/// </summary>
public static class EmulatedLab
{
    public const string StateRoot = "/run/vnet/lab";

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
                string swPort = $"{def.Name}-{h.Name}";
                ctx.Veths.Create(new VethSpec { Name = swPort, Namespace = sw, PeerName = h.Device, PeerNamespace = host.Namespace, Mtu = def.Underlay.Mtu });
                ctx.Bridges.AddPort("ul0", swPort, sw);
                ctx.Links.SetUp("lo", true, host.Namespace);
                ctx.Addresses.Add(h.Device, $"{h.Address}/{prefix}", host.Namespace);
            }
            var lab = new LabInstance { Name = def.Name, Underlay = def.Underlay.Subnet, SwitchNamespace = sw, Hosts = started };
            WriteState(lab);
            return lab;
        }
        catch
        {
            Teardown(def.Name, sw, started, ctx);
            throw;
        }
    }

    private static LabHost StartHost(string lab, HostDefinition h)
    {
        string dir = Path.Combine(StateRoot, lab, h.Name, "netns");
        Directory.CreateDirectory(dir);
        // A shared mount point, so that names made inside the host appear here and vice versa.
        Sys.Mount(dir, dir, "none", Sys.MS_BIND);
        Sys.Mount("none", dir, null, Sys.MS_SHARED);
        var psi = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The caller's /run/netns is shared (iproute2 and VNet make it so); the host detaches its copy
        // first, or binding the host's folder on it would propagate back and cover the caller's.
        foreach (var a in new[] { "--net", "--mount", "--propagation", "unchanged", "--", "sh", "-c",
                     "mkdir -p /run/netns && mount --make-private /run/netns 2>/dev/null; mount --bind \"$0\" /run/netns && mount -t sysfs sysfs /sys 2>/dev/null; ip link set lo up; echo ready; exec sleep infinity", dir })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("unshare did not start");
        string? line = p.StandardOutput.ReadLine();
        if (line != "ready")
        {
            string err = p.StandardError.ReadToEnd();
            try { p.Kill(); } catch (InvalidOperationException) { }
            throw Messages.Error("LabHostFailed", VNetErrorCategory.InvalidOperation, h.Name, h.Name, err.Trim());
        }
        return new LabHost
        {
            Name = h.Name, Address = h.Address, Device = h.Device, ProcessId = p.Id,
            Namespace = $"vnetlab-{lab}-{h.Name}", NetnsDirectory = dir,
        };
    }

    public static LabInstance? Get(string name)
    {
        string f = StateFile(name);
        if (!File.Exists(f)) return null;
        var lab = JsonSerializer.Deserialize<LabInstance>(File.ReadAllText(f));
        // Stale state (the anchors are gone, e.g. after a crash) is reported as not running.
        if (lab?.Backend == "Vagrant") return lab;
        return lab != null && lab.Hosts.All(h => Directory.Exists($"/proc/{h.ProcessId}")) ? lab : null;
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

    private static void Teardown(string lab, string sw, List<LabHost> hosts, NetContext ctx)
    {
        foreach (var h in hosts)
        {
            try { Process.GetProcessById(h.ProcessId).Kill(entireProcessTree: true); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
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

    /// <summary>A core context that works on a host as if it ran there: its namespace by default, its /run/netns for names.</summary>
    public static NetContext ContextFor(LabHost host) => new(host.NetnsDirectory, $"/proc/{host.ProcessId}/ns/net");

    /// <summary>The command line that runs a program on a host (nsenter into its network and mount namespaces).</summary>
    public static ProcessStartInfo OnHost(LabHost host, string file, params string[] args)
    {
        var psi = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--target", host.ProcessId.ToString(), "--net", "--mount", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
