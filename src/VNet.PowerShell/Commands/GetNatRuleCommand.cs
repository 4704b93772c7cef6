using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>The NAT rules VNet made in a namespace, with counters (`iptables -t nat -L -v`, VNet's part).</summary>
[Cmdlet(VerbsCommon.Get, "NatRule")]
[OutputType(typeof(NatRule))]
public sealed class GetNatRuleCommand : VNetCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string? Id { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => Try(() =>
        WriteObject(Ctx.Nat.List(Namespace).Where(r => Id == null || VNet.Core.Wildcard.IsMatch(r.Id, Id)), true));
}
