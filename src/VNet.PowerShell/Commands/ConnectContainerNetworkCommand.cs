using System.Management.Automation;
using VNet.Core.Networks;

namespace VNet.PowerShell.Commands;

/// <summary>`docker network connect`: joins a namespace, a Docker container or a process's namespace to a network.</summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, DefaultParameterSetName = "Namespace")]
[OutputType(typeof(ContainerEndpoint))]
public sealed class ConnectContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Namespace", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Container")]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ProcessId")]
    public int ProcessId { get; set; }

    /// <summary>Static addresses (one per subnet), anywhere in the subnet if free.</summary>
    [Parameter] public string[]? IPAddress { get; set; }
    [Parameter] public string[]? Alias { get; set; }
    [Parameter] public string? InterfaceName { get; set; }
    [Parameter] public string? MacAddress { get; set; }
    [Parameter] public string? PublishPort { get; set; }
    [Parameter] public string? ToPort { get; set; }
    [Parameter] public string Protocol { get; set; } = "tcp";

    protected override void ProcessRecord()
    {
        var target = Target(Namespace, Container, ParameterSetName == "ProcessId" ? ProcessId : null);
        if (!ShouldProcess($"{target} -> network '{Network}'", "Connect to container network")) return;
        TryWithDiagnostics(d => WriteObject(Networks.Connect(new ConnectSpec
        {
            Network = Network, Target = target, IPAddress = IPAddress, Alias = Alias, InterfaceName = InterfaceName,
            MacAddress = MacAddress, PublishPort = PublishPort, ToPort = ToPort, Protocol = Protocol,
        }, d)));
    }
}
