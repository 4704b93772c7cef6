using System.Management.Automation;
using VNet.Core.Links;
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

    [Parameter(ValueFromPipelineByPropertyName = true)]
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

    [Parameter] public SwitchParameter AllTables { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        // "default", 0.0.0.0/0 and ::/0 all name the default route; a prefix matches by its network.
        var routes = (Destination != null
            ? Ctx.Routes.Find(Destination, Namespace, AddressFamily, AllTables.IsPresent)
            : Ctx.Routes.List(Namespace, AddressFamily, AllTables.IsPresent)).AsEnumerable();
        if (InterfaceName != null) routes = routes.Where(r => r.InterfaceName != null && Core.Wildcard.IsMatch(r.InterfaceName, InterfaceName));
        var list = routes.ToList();
        if (Destination != null && list.Count == 0)
            WriteError(ToErrorRecord(Core.Messages.Error("RouteNotFound", Core.VNetErrorCategory.ObjectNotFound, Destination, Destination,
                LinkService.NsText(Namespace))));
        WriteObject(list, true);
    });
}
