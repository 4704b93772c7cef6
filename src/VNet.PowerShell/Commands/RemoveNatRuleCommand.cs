using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>Removes a NAT rule and every piece it made (map entries, hairpin entry, forward accepts it alone needed).</summary>
[Cmdlet(VerbsCommon.Remove, "NatRule", SupportsShouldProcess = true)]
public sealed class RemoveNatRuleCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NatRuleIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var id in Id)
        {
            if (!ShouldProcess($"{id}{In(Namespace)}", "Remove NAT rule")) continue;
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                if (!Ctx.Nat.Remove(id, Namespace, Strict.IsPresent, d)) WriteVerbose($"NAT rule '{id}' was already gone.");
                foreach (var n in d.Notes) WriteVerbose(n);
                foreach (var w in d.Warnings) WriteWarning(w);
            });
        }
    }
}
