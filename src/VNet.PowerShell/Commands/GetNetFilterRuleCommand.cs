using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>Every firewall rule of a namespace (VNet's, Docker's iptables-nft, anyone's), read-only, like `nft -a list ruleset`.</summary>
[Cmdlet(VerbsCommon.Get, "NetFilterRule")]
[OutputType(typeof(NetFilterRule))]
public sealed class GetNetFilterRuleCommand : VNetCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.FilterTableCompleter))]
    public string? Table { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.FilterChainCompleter))]
    public string? Chain { get; set; }

    protected override void ProcessRecord() => Try(() => WriteObject(Ctx.Ruleset.List(Namespace, Table, Chain), true));
}
