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
        // Every name of the list is checked before the first one is removed.
        bool valid = true;
        foreach (var n in Name)
        {
            try { VNet.Core.Validation.NamespaceName(n); }
            catch (VNet.Core.VNetException e) { WriteError(ToErrorRecord(e)); valid = false; }
        }
        if (!valid) return;
        foreach (var n in Name)
        {
            if (!ShouldProcess(n, Force ? "End the processes in and remove network namespace" : "Remove network namespace")) continue;
            Try(() =>
            {
                if (Force)
                {
                    foreach (var p in NamespaceProcesses.End(NamespaceProcesses.In(Ctx, n), TimeSpan.FromSeconds(2)))
                        WriteVerbose($"Ended process {p.ProcessId} ({p.Command}) in namespace '{n}'.");
                }
                var r = Ctx.NamespaceOperations.Remove(n, Strict.IsPresent);
                if (!r.Removed) WriteVerbose($"Namespace '{n}' was already gone.");
                else if (r.KeptAlive)
                {
                    // Said, not hidden: its interfaces (a veth's host end) stay until these let go.
                    var by = r.KeptByProcesses.Select(p => $"process {p.ProcessId} ({p.Command})").Concat(r.KeptByMounts);
                    WriteWarning(VNet.Core.Messages.Format("NamespaceKeptAlive", n, string.Join(", ", by)));
                }
            });
        }
    }
}
