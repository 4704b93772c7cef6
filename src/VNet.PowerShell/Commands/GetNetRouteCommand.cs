using System.Management.Automation;
using VNet.Core.Routes;

namespace VNet.PowerShell.Commands;

/// <summary>`ip route show` (main table; -AllTables for every table).</summary>
[Cmdlet(VerbsCommon.Get, "NetRoute")]
[OutputType(typeof(NetRoute))]
public sealed class GetNetRouteCommand : VNetCmdlet
{
    [Parameter(Position = 0)]
    [Alias("DestinationPrefix")]
    public string? Destination { get; set; }

    [Parameter]
    [Alias("Interface")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string? AddressFamily { get; set; }

    [Parameter] public SwitchParameter AllTables { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var routes = Ctx.Routes.List(Namespace, AddressFamily, AllTables.IsPresent).AsEnumerable();
        if (Destination != null) routes = routes.Where(r => string.Equals(r.Destination, Destination, StringComparison.OrdinalIgnoreCase));
        if (InterfaceName != null) routes = routes.Where(r => r.InterfaceName != null && Core.Wildcard.IsMatch(r.InterfaceName, InterfaceName));
        WriteObject(routes, true);
    });
}
