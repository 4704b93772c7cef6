using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link set IFACE master BRIDGE` (and up).</summary>
[Cmdlet(VerbsCommon.Add, "BridgePort", SupportsShouldProcess = true)]
[OutputType(typeof(BridgePort))]
public sealed class AddBridgePortCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Bridge { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "InterfaceName")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Interface { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var i in Interface)
        {
            if (!ShouldProcess($"{i}{In(Namespace)}", $"Add to bridge '{Bridge}'")) continue;
            Try(() =>
            {
                var port = Ctx.Bridges.AddPort(Bridge, i, Namespace);
                if (PassThru) WriteObject(port);
            });
        }
    }
}
