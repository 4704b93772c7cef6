using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Reflection;
using VNet.Core;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `ip netns exec`: runs a native command, or a script block, inside a namespace. Native commands
/// are forked by the core while it is inside the namespace, so no mount namespace is created (and
/// names made by the command under /run/netns stay visible, unlike with `ip netns exec`). A script
/// block runs in a new runspace on a thread of its own inside the namespace, with VNet imported;
/// it sees what is passed with -ArgumentList and, as with Invoke-Command, the caller's `$using:` values.
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
        Try(() =>
        {
            if (ParameterSetName == "Command") FixArgumentsTakenAsParameters();
            if (!ShouldProcess(Namespace, ParameterSetName == "Command" ? $"Run '{Command}'" : "Run script block")) return;
            if (ParameterSetName == "Command") RunNative();
            else RunScript();
        });
    }

    /// <summary>
    /// `Invoke-NetNamespace ns1 ping -c 1 127.0.0.1` (no `--`): PowerShell binds `-c` as a parameter
    /// of this cmdlet (here -Command = 1) before the program ever sees it. When the command line
    /// shows that happened, and every word after the program is plain text, the words are given back
    /// to the program as written; otherwise the error says to put `--` before the program.
    /// </summary>
    private void FixArgumentsTakenAsParameters()
    {
        var ast = InvocationAst();
        if (ast == null) return;
        var elements = ast.CommandElements;
        if (elements.Any(e => e is CommandParameterAst { ParameterName: "" } && e.Extent.Text == "--")) return;
        // Find the program: the first positional word after the namespace (given by name or by position).
        bool namespaceGiven = MyInvocation.ExpectingInput; // piped in: the first word is the program
        int program = -1;
        for (int i = 1; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst p)
            {
                if (IsNamespaceParameter(p.ParameterName)) namespaceGiven = true;
                if (p.Argument == null && TakesArgument(p.ParameterName)) i++;
                continue;
            }
            if (!namespaceGiven) { namespaceGiven = true; continue; }
            program = i;
            break;
        }
        if (program < 0) return;
        var rest = elements.Skip(program + 1).ToList();
        var firstFlag = rest.OfType<CommandParameterAst>().FirstOrDefault();
        if (firstFlag == null) return; // nothing after the program was taken as a parameter
        string prog = Word(elements[program]) ?? Command;
        var words = rest.Select(Word).ToList();
        if (Word(elements[program]) == null || words.Any(w => w == null))
            throw Messages.Error("InvokeNeedsDoubleDash", VNetErrorCategory.InvalidArgument, firstFlag.Extent.Text, firstFlag.Extent.Text, prog);
        Command = prog;
        ArgumentList = words.Cast<object>().ToArray();
    }

    private static bool IsNamespaceParameter(string name) =>
        name.Length > 1 && ("Namespace".StartsWith(name, StringComparison.OrdinalIgnoreCase) || "Name".StartsWith(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parameters written before the program that take a value (-ErrorAction Stop, -Namespace x); switches do not.</summary>
    private static bool TakesArgument(string name) =>
        !new[] { "Verbose", "Debug", "WhatIf", "Confirm" }.Any(s => s.StartsWith(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The text a word of the command line stands for, when it is plain (no variable or expression to evaluate).</summary>
    private static string? Word(CommandElementAst e) => e switch
    {
        CommandParameterAst p => p.Argument == null ? p.Extent.Text : null,
        StringConstantExpressionAst s => s.Value,
        ConstantExpressionAst c => Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>This invocation's command as the parser sees it.</summary>
    private CommandAst? InvocationAst()
    {
        // The line it starts on, and its column there (the one part of the invocation's text the
        // engine gives a compiled cmdlet); a command continued over several lines is left alone.
        string? text = MyInvocation.Line;
        if (string.IsNullOrEmpty(text) || MyInvocation.OffsetInLine < 1) return null;
        var root = Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0) return null;
        return root.Find(a => a is CommandAst c && c.Extent.StartLineNumber == 1 && c.Extent.StartColumnNumber == MyInvocation.OffsetInLine &&
            string.Equals(c.GetCommandName(), MyInvocation.InvocationName, StringComparison.OrdinalIgnoreCase), true) as CommandAst;
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
            if (_process.ExitCode != 0) Failed(_process.ExitCode);
        }
        finally
        {
            // The pipeline may stop early (Select-Object -First, Ctrl+C): never leave the program running.
            StopProcessing();
        }
    }

    /// <summary>
    /// A non-zero exit code, as pwsh treats a native command's: with
    /// $PSNativeCommandUseErrorActionPreference set it is an error (terminating under
    /// -ErrorAction Stop); either way `$?` is false afterwards.
    /// </summary>
    private void Failed(int code)
    {
        if (SessionState.PSVariable.GetValue("PSNativeCommandUseErrorActionPreference") is true)
        {
            WriteError(ToErrorRecord(Messages.Error("NativeCommandFailed", VNetErrorCategory.InvalidOperation, Command, Command, code, Namespace)));
            return;
        }
        WriteVerbose($"'{Command}' exited with code {code} in namespace '{Namespace}'.");
        MarkFailed();
    }

    /// <summary>
    /// Sets `$?` to false without an error record, which no public API of a cmdlet allows: pwsh's own
    /// native command processor sets the pipeline's ExecutionFailed flag for this. If a future
    /// PowerShell renames it, `$?` merely stays true (the old behaviour) rather than anything failing.
    /// </summary>
    private void MarkFailed()
    {
        const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        try
        {
            object? pipeline = CommandRuntime.GetType().GetProperty("PipelineProcessor", Any)?.GetValue(CommandRuntime);
            pipeline?.GetType().GetProperty("ExecutionFailed", Any)?.SetValue(pipeline, true);
        }
        catch (Exception e) when (e is TargetException or MethodAccessException or ArgumentException or TargetInvocationException)
        {
            WriteDebug($"Could not mark the pipeline failed: {e.Message}");
        }
    }

    private void RunScript()
    {
        // $using:NAME reads the caller's variable, as with Invoke-Command and Start-ThreadJob: each
        // is replaced by a variable of the inner runspace that carries the caller's value.
        var (text, usings) = BindUsing(ScriptBlock!);
        // Import VNet in the inner runspace the way it was imported here (manifest or bare assembly).
        string manifest = MyInvocation.MyCommand.Module?.Path ?? typeof(InvokeNetNamespaceCommand).Assembly.Location;
        object[] args = ArgumentList ?? Array.Empty<object>();
        var results = Ctx.Namespaces.RunInside(Namespace, () =>
        {
            var iss = InitialSessionState.CreateDefault2(); // engine modules load on demand; no snap-ins (absent in hosted engines)
            if (File.Exists(manifest)) iss.ImportPSModule(new[] { Path.GetFullPath(manifest) });
            foreach (var (name, value) in usings) iss.Variables.Add(new SessionStateVariableEntry(name, value, "a $using: value of the caller"));
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

    /// <summary>The script's text with each `$using:` expression replaced by a fresh variable, and those variables' values, read here.</summary>
    private (string Text, List<(string Name, object? Value)> Values) BindUsing(ScriptBlock block)
    {
        var ast = block.Ast;
        var usings = ast.FindAll(a => a is UsingExpressionAst, true).Cast<UsingExpressionAst>()
            .OrderByDescending(u => u.Extent.StartOffset).ToList();
        string text = ast.Extent.Text;
        int baseOffset = ast.Extent.StartOffset;
        var values = new List<(string, object?)>();
        int n = 0;
        foreach (var u in usings)
        {
            string name = $"__vnetUsing{n++}";
            values.Add((name, UsingValue(u)));
            int start = u.Extent.StartOffset - baseOffset;
            text = text[..start] + "$" + name + text[(start + u.Extent.Text.Length)..];
        }
        // The text of a { ... } block is run as a script: strip the outer braces.
        if (text.StartsWith('{') && text.EndsWith('}')) text = text[1..^1];
        return (text, values);
    }

    /// <summary>The caller's value of $using:x, $using:x.Prop or $using:x[0].</summary>
    private object? UsingValue(UsingExpressionAst u)
    {
        var variable = UsingExpressionAst.ExtractUsingVariable(u);
        object? value = SessionState.PSVariable.GetValue(variable.VariablePath.UserPath);
        if (u.SubExpression is VariableExpressionAst) return value;
        // A member or index on it: evaluate that one expression with the value bound.
        string expr = u.SubExpression.Extent.Text;
        string varText = variable.Extent.Text;
        var sb = System.Management.Automation.ScriptBlock.Create("param($__v) $__v" + expr[varText.Length..]);
        return sb.Invoke(value).FirstOrDefault()?.BaseObject;
    }

    protected override void StopProcessing()
    {
        try { if (_process is { HasExited: false }) _process.Kill(true); }
        catch (InvalidOperationException) { }
    }
}
