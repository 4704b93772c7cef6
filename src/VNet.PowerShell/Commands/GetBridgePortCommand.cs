using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`bridge link` / `ip link show master BRIDGE`: the ports of a bridge.</summary>
[Cmdlet(VerbsCommon.Get, "BridgePort")]
[OutputType(typeof(BridgePort))]
public sealed class GetBridgePortCommand : VNetCmdlet
{
    // No "Name" alias for pipeline binding: a piped NetNamespace would bind its Name here. A piped
    // BridgePort binds its Bridge; a piped bridge (NetLink) its InterfaceName, which is its name.
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => Try(() => WriteObject(Ctx.Bridges.ListPorts(Bridge, Namespace), true));
}
