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

    [Parameter] public bool? Learning { get; set; }
    [Parameter] public int? Mtu { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
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
            var t = Ctx.Vxlans.Set(Name, Namespace, Learning, Mtu, Bridge);
            if (PassThru) WriteObject(t);
        });
    }
}
