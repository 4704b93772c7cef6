using System.Management.Automation;
using VNet.Core.Routes;

namespace VNet.PowerShell.Commands;

/// <summary>`ip route add DEST [via GW] [dev IFACE] [metric N]`.</summary>
[Cmdlet(VerbsCommon.New, "NetRoute", SupportsShouldProcess = true)]
[OutputType(typeof(NetRoute))]
public sealed class NewNetRouteCommand : VNetCmdlet
{
    /// <summary>A CIDR, or "default".</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("DestinationPrefix")]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NextHop")]
    public string? Gateway { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("RouteMetric")]
    public int? Metric { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Re-runs: a route already there with these settings is returned instead of an error.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var spec = new RouteSpec { Destination = Destination, Gateway = Gateway, InterfaceName = InterfaceName, Metric = Metric, Namespace = Namespace };
        string what = $"Add route {Destination}{(Gateway != null ? $" via {Gateway}" : "")}{(InterfaceName != null ? $" dev {InterfaceName}" : "")}";
        Try(() =>
        {
            if (Force && Ctx.Routes.FindExisting(spec) is NetRoute existing)
            {
                WriteVerbose($"The route to {Destination} is already there{In(Namespace)}.");
                WriteObject(existing);
                return;
            }
            if (!ShouldProcess(string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'", what)) return;
            WriteObject(Ctx.Routes.Add(spec));
        });
    }
}
