using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME type bridge; ip link set NAME up`.</summary>
[Cmdlet(VerbsCommon.New, "NetBridge", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class NewNetBridgeCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public int? Mtu { get; set; }
    [Parameter] public string? MacAddress { get; set; }
    [Parameter] public SwitchParameter Down { get; set; }

    /// <summary>No traffic to or from other isolated bridges (Docker's network isolation); the outside stays reachable.</summary>
    [Parameter] public SwitchParameter Isolated { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess($"{n}{In(Namespace)}", "Create bridge")) continue;
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                var br = Ctx.Bridges.Create(n, Namespace, Mtu, MacAddress, !Down.IsPresent, d);
                foreach (var note in d.Notes) WriteVerbose(note);
                if (Isolated)
                {
                    d = new VNet.Core.Diagnostics();
                    try { Ctx.Nat.SetIsolated(n, true, Namespace, d); }
                    catch { Ctx.Links.Remove(n, Namespace); throw; } // nothing half-made
                    foreach (var note in d.Notes) WriteVerbose(note);
                }
                WriteObject(br);
            });
        }
    }
}
