using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Tears a lab down: hosts, their containers and tunnels, the etcd store, the underlay. With
/// -HostName, kills just those hosts, as a power loss would (everything running on them ends, they
/// drop off the underlay); the rest of the lab runs on.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "VNetLab", SupportsShouldProcess = true)]
public sealed class StopVNetLabCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Only these hosts: killed like a power loss, the lab stays.</summary>
    [Parameter]
    [Alias("Host")]
    public string[]? HostName { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (HostName is { Length: > 0 })
            {
                foreach (var h in HostName)
                {
                    if (!ShouldProcess($"host {h} of lab {n}", "Kill (power off)")) continue;
                    Try(() =>
                    {
                        if (!EmulatedLab.StopHost(n, h))
                        {
                            if (Strict) throw VNet.Core.Messages.Error("LabHostNotRunning", VNet.Core.VNetErrorCategory.InvalidOperation, h, h, n);
                            WriteVerbose($"Host '{h}' of lab '{n}' was not running.");
                        }
                    });
                }
                continue;
            }
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
