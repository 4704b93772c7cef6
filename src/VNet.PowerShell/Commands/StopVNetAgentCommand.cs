using System.Management.Automation;
using VNet.Core.Networks.Agent;

namespace VNet.PowerShell.Commands;

/// <summary>Stops the VNet agent; the next Connect starts it again (with every member from the store).</summary>
[Cmdlet(VerbsLifecycle.Stop, "VNetAgent", SupportsShouldProcess = true)]
public sealed class StopVNetAgentCommand : VNetCmdlet
{
    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var status = AgentClient.Status();
        if (status.State != "Running")
        {
            if (Strict) throw VNet.Core.Messages.Error("AgentNotRunning", VNet.Core.VNetErrorCategory.ObjectNotFound, AgentPaths.Socket, AgentPaths.Socket);
            WriteVerbose("The VNet agent is not running.");
            return;
        }
        if (!ShouldProcess($"VNet agent (process {status.ProcessId}, serving {status.Namespaces.Count} namespace(s))", "Stop")) return;
        if (!AgentClient.Stop(TimeSpan.FromSeconds(10)) && Strict)
            throw VNet.Core.Messages.Error("AgentNotRunning", VNet.Core.VNetErrorCategory.ObjectNotFound, AgentPaths.Socket, AgentPaths.Socket);
    });
}
