using System.Management.Automation;
using VNet.Core.Addresses;

namespace VNet.PowerShell.Commands;

/// <summary>`ip addr show`.</summary>
[Cmdlet(VerbsCommon.Get, "NetIPAddress")]
[OutputType(typeof(NetIPAddress))]
public sealed class GetNetIPAddressCommand : VNetCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Interface", "InterfaceAlias")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string? AddressFamily { get; set; }

    protected override void ProcessRecord() =>
        Try(() => WriteObject(Ctx.Addresses.List(Namespace, InterfaceName, AddressFamily), true));
}
