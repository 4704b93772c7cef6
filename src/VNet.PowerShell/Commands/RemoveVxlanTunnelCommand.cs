using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link delete NAME` for a VXLAN device (refuses other kinds).</summary>
[Cmdlet(VerbsCommon.Remove, "VxlanTunnel", SupportsShouldProcess = true)]
public sealed class RemoveVxlanTunnelCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess($"{n}{In(Namespace)}", "Delete VXLAN tunnel")) continue;
            Try(() => { if (!Ctx.Vxlans.Remove(n, Namespace, Strict.IsPresent)) WriteVerbose($"'{n}' was already gone."); });
        }
    }
}
