using System.Management.Automation;
using VNet.Core.Networks.Agent;

namespace VNet.PowerShell.Commands;

/// <summary>The per-host VNet agent (the DNS resolver of container networks): its process, state and what it serves.</summary>
[Cmdlet(VerbsCommon.Get, "VNetAgent")]
[OutputType(typeof(AgentStatus))]
public sealed class GetVNetAgentCommand : VNetCmdlet
{
    protected override void ProcessRecord() => Try(() => WriteObject(AgentClient.Status()));
}
