using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>`conntrack -L`: tracked connections with their original and reply tuples, so NAT can be seen happening.</summary>
[Cmdlet(VerbsCommon.Get, "NetConntrack")]
[OutputType(typeof(NetConntrackEntry))]
public sealed class GetNetConntrackCommand : VNetCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public string? Source { get; set; }
    [Parameter] public string? Destination { get; set; }

    protected override void ProcessRecord() => Try(() => WriteObject(Ctx.Conntrack.List(Namespace, Source, Destination), true));
}
