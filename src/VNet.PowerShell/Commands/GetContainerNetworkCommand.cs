using System.Management.Automation;
using VNet.Core;
using VNet.Core.Networks;

namespace VNet.PowerShell.Commands;

/// <summary>`docker network ls` and `inspect`: name, id, driver, subnets, gateway, MTU, bridge, internal, endpoint count.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork")]
[OutputType(typeof(ContainerNetwork))]
public sealed class GetContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NetworkNameCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        TryWithDiagnostics(d =>
        {
            if (Name == null || Name.Length == 0)
            {
                WriteObject(Networks.List(null, d), enumerateCollection: true);
                return;
            }
            foreach (var n in Name)
            {
                if (Wildcard.HasWildcard(n)) WriteObject(Networks.List(n, d), enumerateCollection: true);
                else Try(() => WriteObject(Networks.Get(n)));
            }
        });
    }
}
