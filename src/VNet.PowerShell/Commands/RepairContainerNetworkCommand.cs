using System.Management.Automation;
using VNet.Core.Networks;

namespace VNet.PowerShell.Commands;

/// <summary>
/// A garbage collector in the CNI sense: releases leases, names, host interfaces and rules whose
/// endpoint no longer exists, re-creates a bridge a reboot took, and reports each repair.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkRepair))]
public sealed class RepairContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Name == null || Name.Length == 0)
        {
            if (!ShouldProcess("every container network", "Repair")) return;
            TryWithDiagnostics(d => WriteObject(Networks.Repair(null, d), enumerateCollection: true));
            return;
        }
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, "Repair container network")) continue;
            TryWithDiagnostics(d => WriteObject(Networks.Repair(n, d), enumerateCollection: true));
        }
    }
}
