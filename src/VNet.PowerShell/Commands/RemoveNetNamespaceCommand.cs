using System.Management.Automation;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `ip netns delete`: removes the name; the namespace ends when nothing else holds it. Processes
/// still inside hold it (and its interfaces): that is warned about, and -Force ends them first.
/// </summary>
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

    /// <summary>End the processes still living in the namespace (SIGTERM, then SIGKILL after 2 s) before removing its name.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, Force ? "End the processes in and remove network namespace" : "Remove network namespace")) continue;
            Try(() =>
            {
                var inside = NamespaceProcesses.In(Ctx, n);
                if (inside.Count > 0)
                {
                    if (Force)
                    {
                        foreach (var p in NamespaceProcesses.End(inside, TimeSpan.FromSeconds(2)))
                            WriteVerbose($"Ended process {p.ProcessId} ({p.Command}) in namespace '{n}'.");
                    }
                    else
                    {
                        string list = string.Join(", ", inside.Take(5).Select(p => $"{p.ProcessId}/{p.Command}")) + (inside.Count > 5 ? ", ..." : "");
                        WriteWarning(VNet.Core.Messages.Format("NamespaceHasProcesses", n, list));
                    }
                }
                if (!Ctx.Namespaces.Remove(n, Strict.IsPresent))
                    WriteVerbose($"Namespace '{n}' was already gone.");
            });
        }
    }
}
