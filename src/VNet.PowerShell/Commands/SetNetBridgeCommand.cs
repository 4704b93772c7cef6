using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>Bridge settings VNet keeps: isolation from other isolated bridges (Docker's DOCKER-ISOLATION stages).</summary>
[Cmdlet(VerbsCommon.Set, "NetBridge", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class SetNetBridgeCommand : LinkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "InterfaceName")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string[] Bridge { get; set; } = Array.Empty<string>();

    /// <summary>A switch as on New-NetBridge: -Isolated isolates, -Isolated:$false lifts it.</summary>
    [Parameter] public SwitchParameter Isolated { get; set; }

    /// <summary>
    /// Scripts written when -Isolated took a value (`-Isolated $false`) still work: the value lands
    /// here, by position, and wins over the switch.
    /// </summary>
    [Parameter(Position = 1, DontShow = true)] public bool? IsolatedValue { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (BoundFromNamespace(nameof(Bridge)))
        {
            WriteError(ToErrorRecord(Core.Messages.Error("PipedNamespace", Core.VNetErrorCategory.InvalidArgument, InputObject, Namespace)));
            return;
        }
        if (IsolatedValue == null && !MyInvocation.BoundParameters.ContainsKey(nameof(Isolated)))
        {
            WriteError(ToErrorRecord(new Core.VNetException("ParameterMissing", Core.VNetErrorCategory.InvalidArgument,
                "Say what to set: -Isolated, or -Isolated:$false to lift the isolation.", Bridge.FirstOrDefault())));
            return;
        }
        bool isolated = IsolatedValue ?? Isolated.IsPresent;
        foreach (var n in Bridge)
        {
            if (!ShouldProcess($"{n}{In(Namespace)}", isolated ? "Isolate bridge" : "Stop isolating bridge")) continue;
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                Ctx.Nat.SetIsolated(n, isolated, Namespace, d);
                foreach (var note in d.Notes) WriteVerbose(note);
                if (PassThru) WriteObject(Ctx.Links.Get(n, Namespace));
            });
        }
    }
}
