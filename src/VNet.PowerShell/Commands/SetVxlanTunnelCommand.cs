using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>Changes what the kernel allows on a live tunnel: learning, MTU, bridge. VNI, addresses and port are fixed at creation.</summary>
[Cmdlet(VerbsCommon.Set, "VxlanTunnel", SupportsShouldProcess = true)]
[OutputType(typeof(VxlanTunnel))]
public sealed class SetVxlanTunnelCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A switch as on New-VxlanTunnel: -Learning turns learning on, -Learning:$false off; left out, unchanged.</summary>
    [Parameter] public SwitchParameter Learning { get; set; }

    /// <summary>Scripts written when -Learning took a value (`-Learning $false`) still work.</summary>
    [Parameter(Position = 1, DontShow = true)] public bool? LearningValue { get; set; }
    [Parameter] public int? Mtu { get; set; }

    [Parameter]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Name}{In(Namespace)}", "Change VXLAN tunnel")) return;
        Try(() =>
        {
            bool? learning = LearningValue ?? (MyInvocation.BoundParameters.ContainsKey(nameof(Learning)) ? Learning.IsPresent : null);
            var t = Ctx.Vxlans.Set(Name, Namespace, learning, Mtu, Bridge);
            if (PassThru) WriteObject(t);
        });
    }
}
