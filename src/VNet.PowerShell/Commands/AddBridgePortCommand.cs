using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link set IFACE master BRIDGE` (and up); the port's MTU is fitted to the bridge's.</summary>
[Cmdlet(VerbsCommon.Add, "BridgePort", SupportsShouldProcess = true)]
[OutputType(typeof(BridgePort))]
public sealed class AddBridgePortCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Bridge { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] InterfaceName { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Re-runs: a port already on this bridge is fine (it is anyway; kept so every Add- takes -Force).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var i in InterfaceName)
        {
            if (!ShouldProcess($"{i}{In(Namespace)}", $"Add to bridge '{Bridge}'")) continue;
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                var port = Ctx.Bridges.AddPort(Bridge, i, Namespace, d);
                foreach (var note in d.Notes) WriteVerbose(note);
                if (PassThru) WriteObject(port);
            });
        }
    }
}
