using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`ip netns delete`: removes the name; the namespace ends when nothing else holds it.</summary>
[Cmdlet(VerbsCommon.Remove, "NetNamespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNetNamespaceCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Report a namespace that does not exist as an error (by default that is quietly fine).</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, "Remove network namespace")) continue;
            Try(() =>
            {
                if (!Ctx.Namespaces.Remove(n, Strict.IsPresent))
                    WriteVerbose($"Namespace '{n}' was already gone.");
            });
        }
    }
}
