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
        var (code, output) = Vagrant(vagrantDirectory, labFile, "up", "--provision");
        if (code != 0)
            throw Messages.Error("LabHostFailed", VNetErrorCategory.InvalidOperation, def.Name, def.Name, $"vagrant up exited {code}: {Tail(output)}");
        var lab = new LabInstance
        {
            Name = def.Name, Backend = "Vagrant", Underlay = def.Underlay.Subnet, Directory = vagrantDirectory,
            Hosts = def.Hosts.Select(h => new LabHost { Name = h.Name, Address = h.Address, Device = h.Device }).ToList(),
        };
        EmulatedLab.WriteState(lab);
        return lab;
    }

    public static void Destroy(LabInstance lab)
    {
        if (lab.Directory != null) Vagrant(lab.Directory, null, "destroy", "--force");
    }

    /// <summary>The command line that runs a program on a VM, as root, through vagrant ssh.</summary>
    public static ProcessStartInfo OnHost(LabInstance lab, LabHost host, string commandLine)
    {
        var psi = new ProcessStartInfo("vagrant") { WorkingDirectory = lab.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "ssh", host.Name, "-c", "sudo " + commandLine }) psi.ArgumentList.Add(a);
        return psi;
    }

    private static (int, string) Vagrant(string dir, string? labFile, params string[] args)
    {
        var psi = new ProcessStartInfo("vagrant") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (labFile != null) psi.Environment["VNET_LAB_FILE"] = Path.GetFullPath(labFile);
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
