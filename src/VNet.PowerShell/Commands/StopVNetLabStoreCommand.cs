using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>Kills etcd members of a lab's store (SIGKILL, like a crash; their data stays), to test what a lost member or a lost quorum does.</summary>
[Cmdlet(VerbsLifecycle.Stop, "VNetLabStore", SupportsShouldProcess = true)]
public sealed class StopVNetLabStoreCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Lab")]
    public string Name { get; set; } = "";

    /// <summary>The hosts whose members to kill.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Host")]
    public string[] HostName { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (var h in HostName)
        {
            if (!ShouldProcess($"etcd member on host {h} of lab {Name}", "Kill")) continue;
            Try(() =>
            {
                if (!EtcdCluster.StopMember(Name, h)) WriteVerbose($"The etcd member on host '{h}' was not running.");
            });
        }
    }
}
