using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>Bridge settings VNet keeps: isolation from other isolated bridges (Docker's DOCKER-ISOLATION stages).</summary>
[Cmdlet(VerbsCommon.Set, "NetBridge", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class SetNetBridgeCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>$true: no traffic to or from other isolated bridges; $false: lift it.</summary>
    [Parameter(Mandatory = true)] public bool Isolated { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess($"{n}{In(Namespace)}", Isolated ? "Isolate bridge" : "Stop isolating bridge")) continue;
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                Ctx.Nat.SetIsolated(n, Isolated, Namespace, d);
                foreach (var note in d.Notes) WriteVerbose(note);
                if (PassThru) WriteObject(Ctx.Links.Get(n, Namespace));
            });
        }
    }
}
