using System.Management.Automation;
using VNet.Core.Neighbours;

namespace VNet.PowerShell.Commands;

/// <summary>`bridge fdb show`: which MAC is behind which port (and, on a VXLAN port, which VTEP).</summary>
[Cmdlet(VerbsCommon.Get, "BridgeFdb")]
[OutputType(typeof(BridgeFdbEntry))]
public sealed class GetBridgeFdbCommand : VNetCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    [Parameter]
    [Alias("Interface", "InterfaceAlias")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only what the bridge learned from traffic (leave out the ports' own and multicast entries).</summary>
    [Parameter] public SwitchParameter Learned { get; set; }

    protected override void ProcessRecord() => Try(() =>
        WriteObject(Ctx.Fdb.List(Namespace, Bridge, InterfaceName).Where(e => !Learned.IsPresent || e.IsLearned), true));
}
