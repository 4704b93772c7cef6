using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`docker network rm`: the network and everything of it (bridge, rules, leases, names).</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Disconnect the network's members first (without it, a network with members is refused).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Report a network that does not exist as an error (by default that is quietly fine).</summary>
    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, Force ? "Remove container network and disconnect its members" : "Remove container network")) continue;
            TryWithDiagnostics(d =>
            {
                if (!Networks.Remove(n, Force.IsPresent, Strict.IsPresent, d)) WriteVerbose($"Network '{n}' was already gone.");
            });
        }
    }
}
