using System.Management.Automation;
using VNet.Core.Routes;

namespace VNet.PowerShell.Commands;

/// <summary>`ip route del`: removes the routes that match every given field.</summary>
[Cmdlet(VerbsCommon.Remove, "NetRoute", SupportsShouldProcess = true)]
public sealed class RemoveNetRouteCommand : VNetCmdlet
{
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
    public int? Metric { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'", $"Remove route {Destination}")) return;
        Try(() =>
        {
            if (!Ctx.Routes.Remove(new RouteSpec { Destination = Destination, Gateway = Gateway, InterfaceName = InterfaceName, Metric = Metric, Namespace = Namespace }, Strict.IsPresent))
                WriteVerbose($"No route to {Destination} was there.");
        });
    }
}
