using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>Brings up the lab a file describes: emulated hosts in namespaces (default) or Vagrant VMs.</summary>
[Cmdlet(VerbsLifecycle.Start, "VNetLab", SupportsShouldProcess = true)]
[OutputType(typeof(LabInstance))]
public sealed class StartVNetLabCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Path")]
    public string LabFile { get; set; } = "";

    /// <summary>Emulated (default; also from $env:VNET_LAB_BACKEND) or Vagrant.</summary>
    [Parameter]
    [ValidateSet("Emulated", "Vagrant")]
    public string? Backend { get; set; }

    /// <summary>etcd: also start an etcd cluster on the hosts and point every host's VNet at it (overrides the file's "store").</summary>
    [Parameter]
    [ValidateSet("etcd", "none")]
    public string? Store { get; set; }

    protected override void ProcessRecord()
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(LabFile);
        string backend = Backend ?? (string.Equals(Environment.GetEnvironmentVariable("VNET_LAB_BACKEND"), "vagrant", StringComparison.OrdinalIgnoreCase) ? "Vagrant" : "Emulated");
        Try(() =>
        {
            var def = LabDefinition.Load(file);
            if (Store != null) def.Store = Store;
            string store = def.Store is null or "none" ? "" : $" and an {def.Store} store";
            if (!ShouldProcess(def.Name, $"Start {backend} lab with hosts {string.Join(", ", def.Hosts.Select(h => h.Name))}{store}")) return;
            WriteObject(backend == "Vagrant"
                ? VagrantLab.Start(def, file, FindVagrantDirectory(file))
                : EmulatedLab.Start(def));
        });
    }

    private static string FindVagrantDirectory(string file)
    {
        for (var d = new DirectoryInfo(Path.GetDirectoryName(file)!); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Vagrantfile"))) return d.FullName;
        return Path.GetDirectoryName(file)!;
    }
}
