using System.Management.Automation;
using VNet.Core.Networks;

namespace VNet.PowerShell.Commands;

/// <summary>The endpoints of networks (Docker's `network inspect` Containers section): which namespace, interface, addresses, names.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerEndpoint", DefaultParameterSetName = "All")]
[OutputType(typeof(ContainerEndpoint))]
public sealed class GetContainerEndpointCommand : NetworkCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    [Alias("Name")]
    public string? Network { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Namespace")]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Container")]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            EndpointTarget? target = Namespace != null || Container != null ? Target(Namespace, Container, null) : null;
            WriteObject(Networks.ListEndpoints(Network, target), enumerateCollection: true);
        });
    }
}
