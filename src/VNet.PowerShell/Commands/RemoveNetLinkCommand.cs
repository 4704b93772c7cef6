using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link delete`. Deleting one end of a veth deletes the pair.</summary>
[Cmdlet(VerbsCommon.Remove, "NetLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNetLinkCommand : LinkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] InterfaceName { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        if (BoundFromNamespace(nameof(InterfaceName)))
        {
            WriteError(ToErrorRecord(Core.Messages.Error("PipedNamespace", Core.VNetErrorCategory.InvalidArgument, InputObject, Namespace)));
            return;
        }
        foreach (var n in InterfaceName)
        {
            if (!ShouldProcess($"{n}{In(Namespace)}", "Delete link")) continue;
            Try(() =>
            {
                // A bridge's isolation and accepts go with it (in the core); -Verbose says which.
                if (!Ctx.BridgeOperations.RemoveLink(n, Namespace, Strict.IsPresent)) WriteVerbose($"Link '{n}' was already gone.");
                else foreach (var note in Ctx.Nat.Notes) WriteVerbose(note);
                Ctx.Nat.Notes.Clear(); // said once: the next name (not a bridge, say) must not repeat them
            });
        }
    }
}
