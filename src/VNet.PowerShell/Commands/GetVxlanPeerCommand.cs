using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`bridge fdb show dev TUNNEL`: which VTEP each MAC (and flooded traffic) goes to.</summary>
[Cmdlet(VerbsCommon.Get, "VxlanPeer")]
[OutputType(typeof(VxlanPeer))]
public sealed class GetVxlanPeerCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "InterfaceName")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Tunnel { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => Try(() => WriteObject(Ctx.Vxlans.ListPeers(Tunnel, Namespace), true));
}
