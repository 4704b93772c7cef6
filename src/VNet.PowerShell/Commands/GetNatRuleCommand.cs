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
    [ArgumentCompleter(typeof(Completion.NatRuleIdCompleter))]
    public string? Id { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var rules = Ctx.Nat.List(Namespace).Where(r => Id == null || VNet.Core.Wildcard.IsMatch(r.Id, Id)).ToList();
        // A name without wildcards that matches nothing is an error, as Get-NetLink's is.
        if (rules.Count == 0 && Id != null && !WildcardPattern.ContainsWildcardCharacters(Id))
            WriteError(ToErrorRecord(VNet.Core.Messages.Error("NatRuleNotFound", VNet.Core.VNetErrorCategory.ObjectNotFound, Id, Id)));
        WriteObject(rules, true);
    });
}
