using System.Diagnostics;

namespace VNet.Core.Lab;

/// <summary>
/// The same lab on real VMs: the Vagrantfile at the repository root reads the lab file (hosts,
/// underlay addresses) and provisions .NET, pwsh and Pester and builds VNet on each VM. "On host A"
/// is `vagrant ssh A -c ...`. Nothing here can boot a VM on a machine without virtualisation; the
/// emulated backend covers the same suites there.
/// </summary>
public static class VagrantLab
{
    public static LabInstance Start(LabDefinition def, string labFile, string vagrantDirectory)
    {
        if (!File.Exists(Path.Combine(vagrantDirectory, "Vagrantfile")))
            throw Messages.Error("LabFileInvalid", VNetErrorCategory.ObjectNotFound, vagrantDirectory, vagrantDirectory, "no Vagrantfile there");
        var (code, output) = Vagrant(vagrantDirectory, labFile, def.Store, "up", "--provision");
        if (code != 0)
            throw Messages.Error("LabHostFailed", VNetErrorCategory.InvalidOperation, def.Name, def.Name, $"vagrant up exited {code}: {Tail(output)}");
        var lab = new LabInstance
        {
            Name = def.Name, Backend = "Vagrant", Underlay = def.Underlay.Subnet, Directory = vagrantDirectory,
            Hosts = def.Hosts.Select(h => new LabHost { Name = h.Name, Address = h.Address, Device = h.Device }).ToList(),
        };
        EmulatedLab.WriteState(lab);
        if (string.Equals(def.Store, LabDefinition.EtcdStore, StringComparison.OrdinalIgnoreCase))
        {
            // The provisioning configured etcd on the first three VMs and store.json on every VM.
            EtcdCluster.Attach(lab);
            EmulatedLab.WriteState(lab);
        }
        return lab;
    }

    public static void Destroy(LabInstance lab)
    {
        if (lab.Directory != null) Vagrant(lab.Directory, null, null, "destroy", "--force");
    }

    /// <summary>The command line that runs a program on a VM, as root, through vagrant ssh.</summary>
    public static ProcessStartInfo OnHost(LabInstance lab, LabHost host, string commandLine)
    {
        var psi = new ProcessStartInfo("vagrant") { WorkingDirectory = lab.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "ssh", host.Name, "-c", "sudo " + commandLine }) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Runs a command line as root on a VM; its exit code and output.</summary>
    public static (int Code, string Output) Run(LabInstance lab, LabHost host, string commandLine)
    {
        try
        {
            using var p = Process.Start(OnHost(lab, host, commandLine))!;
            var err = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, o + err.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Messages.Error("CommandNotFound", VNetErrorCategory.ObjectNotFound, "vagrant", "vagrant", e.Message);
        }
    }

    /// <summary>A word for sh -c on the VM.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static (int, string) Vagrant(string dir, string? labFile, string? store, params string[] args)
    {
        var psi = new ProcessStartInfo("vagrant") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (labFile != null) psi.Environment["VNET_LAB_FILE"] = Path.GetFullPath(labFile);
        // Start-VNetLab -Store overrides the file's "store": the Vagrantfile reads this first.
        if (store != null) psi.Environment["VNET_LAB_STORE"] = store;
        try
        {
            using var p = Process.Start(psi)!;
            string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, o);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Messages.Error("CommandNotFound", VNetErrorCategory.ObjectNotFound, "vagrant", "vagrant", e.Message);
        }
    }

    private static string Tail(string s) => s.Length > 600 ? s[^600..] : s;
}
