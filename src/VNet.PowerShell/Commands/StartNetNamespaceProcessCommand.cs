using System.Diagnostics;
using System.Management.Automation;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Commands;

/// <summary>
/// A background program inside a namespace (a web server, `iperf3 -s`), as Start-Process starts one
/// on the host: returned as a Process at once, detached from the caller's terminal and streams.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "NetNamespaceProcess", SupportsShouldProcess = true)]
[OutputType(typeof(Process))]
public sealed class StartNetNamespaceProcessCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "";

    /// <summary>The program (looked up on PATH) or a path to it.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Command")]
    [ValidateNotNullOrEmpty]
    public string FilePath { get; set; } = "";

    [Parameter(Position = 2)]
    [Alias("Args")]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    /// <summary>Append the program's output to this file (default: discarded).</summary>
    [Parameter] public string? RedirectStandardOutput { get; set; }

    /// <summary>Append the program's error output to this file (default: discarded).</summary>
    [Parameter] public string? RedirectStandardError { get; set; }

    [Parameter] public string? WorkingDirectory { get; set; }

    protected override void ProcessRecord()
    {
        string Full(string p) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p);
        if (!ShouldProcess(Namespace, $"Start '{FilePath}' in the background")) return;
        Try(() => WriteObject(NamespaceProcesses.Start(Ctx, Namespace, FilePath, ArgumentList,
            RedirectStandardOutput != null ? Full(RedirectStandardOutput) : null,
            RedirectStandardError != null ? Full(RedirectStandardError) : null,
            Full(WorkingDirectory ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath))));
    }
}
