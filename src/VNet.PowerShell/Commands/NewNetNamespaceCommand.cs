using System.Management.Automation;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Commands;

/// <summary>`ip netns add`, with lo brought up.</summary>
[Cmdlet(VerbsCommon.New, "NetNamespace", SupportsShouldProcess = true)]
[OutputType(typeof(NetNamespace))]
public sealed class NewNetNamespaceCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, "Create network namespace")) continue;
            Try(() => WriteObject(Ctx.Namespaces.Create(n)));
        }
    }
}
