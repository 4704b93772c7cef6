using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`bridge fdb del ... dst REMOTE`: every entry toward that VTEP (or one MAC's); its traffic stops, the tunnel stays.</summary>
[Cmdlet(VerbsCommon.Remove, "VxlanPeer", SupportsShouldProcess = true)]
public sealed class RemoveVxlanPeerCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceName")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Tunnel { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string[] Remote { get; set; } = Array.Empty<string>();

    [Parameter] public string? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var r in Remote)
        {
            if (!ShouldProcess($"{Tunnel}{In(Namespace)}", $"Remove peer {r}")) continue;
            Try(() => { if (!Ctx.Vxlans.RemovePeer(Tunnel, r, MacAddress, Namespace, Strict.IsPresent)) WriteVerbose($"No entry toward {r} on '{Tunnel}'."); });
        }
    }
}
