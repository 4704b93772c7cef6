using System.Management.Automation;
using VNet.Core.Networks.Agent;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Starts the VNet agent unless one runs (Connect does this on demand): after a kill, an upgrade, or
/// on a host whose overlay entries must be programmed again without connecting anything.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VNetAgent", SupportsShouldProcess = true)]
[OutputType(typeof(AgentStatus))]
public sealed class StartVNetAgentCommand : VNetCmdlet
{
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        if (AgentClient.Status().State != "Running")
        {
            if (!ShouldProcess($"VNet agent under {AgentPaths.Dir}", "Start")) return;
            AgentClient.Start();
        }
        // With a cluster store: returns once the overlay entries are programmed (or says why not).
        if (VNet.Core.Networks.Cluster.StoreSettings.Load() != null && AgentClient.OverlaySync() is string why)
            WriteWarning(why);
        if (PassThru) WriteObject(AgentClient.Status());
    });
}
