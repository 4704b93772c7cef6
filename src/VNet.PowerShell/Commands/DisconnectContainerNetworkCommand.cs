using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`docker network disconnect`: the endpoint's interface, lease, names and publishes go.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, DefaultParameterSetName = "Namespace")]
public sealed class DisconnectContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Namespace", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Container", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ProcessId")]
    public int ProcessId { get; set; }

    /// <summary>Report a namespace that is not connected as an error (by default that is quietly fine).</summary>
    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        var target = Target(Namespace, Container, ParameterSetName == "ProcessId" ? ProcessId : null);
        if (!ShouldProcess($"{target} from network '{Network}'", "Disconnect from container network")) return;
        TryWithDiagnostics(d =>
        {
            if (!Networks.Disconnect(Network, target, Strict.IsPresent, d))
                WriteVerbose($"{target} was not connected to network '{Network}'.");
        });
    }
}
