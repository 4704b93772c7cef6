using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using VNet.Core;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `ip netns exec`: runs a native command, or a script block, inside a namespace. Native commands
/// are forked by the core while it is inside the namespace, so no mount namespace is created (and
/// names made by the command under /run/netns stay visible, unlike with `ip netns exec`). A script
/// block runs in a new runspace on a thread of its own inside the namespace, with VNet imported;
/// it sees only what is passed with -ArgumentList.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NetNamespace", DefaultParameterSetName = "ScriptBlock", SupportsShouldProcess = true)]
public sealed class InvokeNetNamespaceCommand : VNetCmdlet
{
    /// <summary>
    /// The namespace (-Name works too). Named Namespace so that a piped NetNamespace binds its
    /// Namespace property (name, else path) rather than its Name, which is empty for Docker's and
    /// process namespaces.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "ScriptBlock")]
    public ScriptBlock? ScriptBlock { get; set; }

    /// <summary>A program to run (looked up on PATH), as with `ip netns exec NS program args...`.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Command")]
    [ValidateNotNullOrEmpty]
    public string Command { get; set; } = "";

    [Parameter(Position = 2, ValueFromRemainingArguments = true)]
    [Alias("Args")]
    public object[]? ArgumentList { get; set; }

    private Process? _process;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Namespace, ParameterSetName == "Command" ? $"Run '{Command}'" : "Run script block")) return;
        Try(() =>
        {
            if (ParameterSetName == "Command") RunNative();
            else RunScript();
        });
    }

    private void RunNative()
    {
        var psi = new ProcessStartInfo(Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
        };
        foreach (var a in ArgumentList ?? Array.Empty<object>()) psi.ArgumentList.Add(a?.ToString() ?? "");
        var lines = new BlockingCollection<(bool Err, string Line)>();
        int open = 2;
        void Done() { if (Interlocked.Decrement(ref open) == 0) lines.CompleteAdding(); }
        _process = Ctx.Namespaces.StartProcess(Namespace, psi);
        _process.OutputDataReceived += (_, e) => { if (e.Data == null) Done(); else lines.Add((false, e.Data)); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data == null) Done(); else lines.Add((true, e.Data)); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            // Output is written from this (the pipeline) thread as it arrives.
            foreach (var (err, line) in lines.GetConsumingEnumerable())
            {
                if (err) WriteError(new ErrorRecord(new RemoteException(line), "NativeCommandError", ErrorCategory.NotSpecified, Command));
                else WriteObject(line);
            }
            _process.WaitForExit();
            SessionState.PSVariable.Set("global:LASTEXITCODE", _process.ExitCode);
            if (_process.ExitCode != 0)
                WriteVerbose($"'{Command}' exited with code {_process.ExitCode} in namespace '{Namespace}'.");
        }
        finally
        {
            // The pipeline may stop early (Select-Object -First, Ctrl+C): never leave the program running.
            StopProcessing();
        }
    }

    private void RunScript()
    {
        string text = ScriptBlock!.ToString();
        // Import VNet in the inner runspace the way it was imported here (manifest or bare assembly).
        string manifest = MyInvocation.MyCommand.Module?.Path ?? typeof(InvokeNetNamespaceCommand).Assembly.Location;
        object[] args = ArgumentList ?? Array.Empty<object>();
        var results = Ctx.Namespaces.RunInside(Namespace, () =>
        {
            var iss = InitialSessionState.CreateDefault2(); // engine modules load on demand; no snap-ins (absent in hosted engines)
            if (File.Exists(manifest)) iss.ImportPSModule(new[] { Path.GetFullPath(manifest) });
            using var rs = RunspaceFactory.CreateRunspace(iss);
            rs.ThreadOptions = PSThreadOptions.UseCurrentThread; // stay on this thread, which is inside the namespace
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript(text);
            foreach (var a in args) ps.AddArgument(a);
            var output = ps.Invoke();
            var errors = ps.Streams.Error.ToList();
            return (output, errors);
        });
        foreach (var e in results.errors) WriteError(e);
        WriteObject(results.output, true);
    }

    protected override void StopProcessing()
    {
        try { if (_process is { HasExited: false }) _process.Kill(true); }
        catch (InvalidOperationException) { }
    }
}
