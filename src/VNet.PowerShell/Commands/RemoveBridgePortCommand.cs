using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link set IFACE nomaster`.</summary>
[Cmdlet(VerbsCommon.Remove, "BridgePort", SupportsShouldProcess = true)]
public sealed class RemoveBridgePortCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] InterfaceName { get; set; } = Array.Empty<string>();

    /// <summary>Only if it is a port of this bridge.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var i in InterfaceName)
        {
            if (!ShouldProcess($"{i}{In(Namespace)}", $"Remove from bridge{(Bridge == null ? "" : $" '{Bridge}'")}")) continue;
            Try(() =>
            {
                if (!Ctx.Bridges.RemovePort(Bridge, i, Namespace, Strict.IsPresent))
                    WriteVerbose($"'{i}' was not a bridge port.");
            });
        }
    }
}
