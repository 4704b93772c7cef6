using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>Tears a lab down: hosts, their containers and tunnels, the underlay.</summary>
[Cmdlet(VerbsLifecycle.Stop, "VNetLab", SupportsShouldProcess = true)]
public sealed class StopVNetLabCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, "Stop lab")) continue;
            Try(() =>
            {
                if (!EmulatedLab.Stop(n))
                {
                    if (Strict) throw VNet.Core.Messages.Error("LabNotFound", VNet.Core.VNetErrorCategory.ObjectNotFound, n, n);
                    WriteVerbose($"Lab '{n}' was not running.");
                }
            });
        }
    }
}
