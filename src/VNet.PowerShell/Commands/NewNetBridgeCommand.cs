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

    /// <summary>Re-runs: a bridge already there as asked is returned instead of an error; one that differs is an error naming the difference.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                if (Force && ExistingLinks.Bridge(Ctx, n, Namespace, Mtu, MacAddress, Isolated.IsPresent) is not null)
                {
                    WriteVerbose($"Bridge '{n}' is already there{In(Namespace)}.");
                    // A bridge a kill left before it came up or got its switching accept is finished.
                    WriteObject(Ctx.BridgeOperations.Create(n, Namespace, Mtu, MacAddress, !Down.IsPresent, reuseExisting: true, diagnostics: d));
                    foreach (var note in d.Notes) WriteVerbose(note);
                    return;
                }
                if (!ShouldProcess($"{n}{In(Namespace)}", "Create bridge")) return;
                var br = Ctx.BridgeOperations.Create(n, Namespace, Mtu, MacAddress, !Down.IsPresent, diagnostics: d);
                foreach (var note in d.Notes) WriteVerbose(note);
                if (Isolated)
                {
                    d = new VNet.Core.Diagnostics();
                    try { Ctx.Nat.SetIsolated(n, true, Namespace, d); }
                    catch { Ctx.BridgeOperations.RemoveLink(n, Namespace); throw; } // nothing half-made
                    foreach (var note in d.Notes) WriteVerbose(note);
                }
                WriteObject(br);
            });
        }
    }
}
