using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip -d link show type vxlan`.</summary>
[Cmdlet(VerbsCommon.Get, "VxlanTunnel")]
[OutputType(typeof(VxlanTunnel))]
public sealed class GetVxlanTunnelCommand : VNetCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        if (Name != null && !WildcardPattern.ContainsWildcardCharacters(Name)) WriteObject(Ctx.Vxlans.Get(Name, Namespace));
        else WriteObject(Ctx.Vxlans.List(Namespace, Name), true);
    });
}
