using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Runs something "on a host" of a lab, the same way for both backends: a native command, or a
/// script block run by pwsh on the host with VNet imported (emulated: nsenter into the host's
/// network, mount and PID namespaces; Vagrant: vagrant ssh). A script block's output comes back as
/// (deserialized) objects.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "VNetLabCommand", DefaultParameterSetName = "ScriptBlock", SupportsShouldProcess = true)]
public sealed class InvokeVNetLabCommandCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Lab")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Host")]
    public string HostName { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "ScriptBlock")]
    public ScriptBlock? ScriptBlock { get; set; }

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "Command")]
    public string Command { get; set; } = "";

    [Parameter(Position = 3, ValueFromRemainingArguments = true)]
    [Alias("Args")]
    public object[]? ArgumentList { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        if (!ShouldProcess($"host {HostName} of lab {Name}", ParameterSetName == "Command" ? $"Run '{Command}'" : "Run script block")) return;
        var lab = EmulatedLab.Require(Name);
        var host = EmulatedLab.RunningHost(lab, HostName);
        string[] args = (ArgumentList ?? Array.Empty<object>()).Select(a => a?.ToString() ?? "").ToArray();
        bool script = ParameterSetName == "ScriptBlock";
        string pwsh = FindPwsh();
        string manifest = lab.Backend == "Vagrant" ? "/vagrant/VNet.psd1" : (MyInvocation.MyCommand.Module?.Path ?? "");
        string[] commandArgs;
        if (script)
        {
            // Run the script with VNet imported; send its output back as CLIXML so objects survive the trip.
            string argsLiteral = string.Join(", ", args.Select(a => "'" + a.Replace("'", "''") + "'"));
            // Errors, warnings and the other streams are collected with the output (*>&1) and travel
            // back in the same CLIXML, so the caller gets them as records of their kind: written to
            // the host's console instead, a warning would land in the middle of the CLIXML.
            string wrapper = "$PSStyle.OutputRendering = 'PlainText'; $ErrorActionPreference = 'Continue'; " +
                $"Import-Module '{manifest.Replace("'", "''")}'; $__a = @({argsLiteral}); " +
                $"$__r = & {{ {ScriptBlock} }} @__a *>&1; " +
                "[Console]::Out.Write([System.Management.Automation.PSSerializer]::Serialize(@($__r), 4))";
            string encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(wrapper));
            commandArgs = new[] { pwsh, "-NoProfile", "-NonInteractive", "-OutputFormat", "Text", "-EncodedCommand", encoded };
        }
        else
        {
            commandArgs = new[] { Command }.Concat(args).ToArray();
        }
        ProcessStartInfo psi = lab.Backend == "Vagrant"
            ? VagrantLab.OnHost(lab, host, string.Join(" ", commandArgs.Select(Quote)))
            : EmulatedLab.OnHost(host, commandArgs[0], commandArgs.Skip(1).ToArray());
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        foreach (var line in stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            WriteError(new ErrorRecord(new RemoteException(line), "LabCommandError", ErrorCategory.NotSpecified, HostName));
        SessionState.PSVariable.Set("global:LASTEXITCODE", p.ExitCode);
        if (script && stdout.Length > 0)
        {
            // The array comes back wrapped in a PSObject: unwrap it, or its records would pass as one output object.
            var objects = PSSerializer.Deserialize(stdout);
            object unwrapped = objects is PSObject { BaseObject: System.Collections.IEnumerable } wrapper ? wrapper.BaseObject : objects;
            var items = unwrapped is System.Collections.IEnumerable list and not string ? list.Cast<object>() : new[] { objects };
            foreach (var o in items)
            {
                string? kind = o is PSObject p0 ? StreamRecord(p0) : null;
                var pso = o as PSObject;
                string message = $"[{HostName}] {pso?.Properties["Message"]?.Value ?? pso?.Properties["MessageData"]?.Value ?? o}";
                switch (kind)
                {
                    case "ErrorRecord":
                        WriteError(new ErrorRecord(new RemoteException($"[{HostName}] {pso!.Properties["Exception"]?.Value ?? pso}"),
                            pso.Properties["FullyQualifiedErrorId"]?.Value?.ToString() ?? "LabCommandError", ErrorCategory.NotSpecified, HostName));
                        break;
                    case "WarningRecord": WriteWarning(message); break;
                    case "VerboseRecord": WriteVerbose(message); break;
                    case "DebugRecord": WriteDebug(message); break;
                    case "InformationRecord": WriteInformation(message, new[] { "PSHOST" }); break;   // shown, as Write-Host there was
                    default: WriteObject(o); break;
                }
            }
        }
        else
        {
            foreach (var line in stdout.Split('\n')) if (line.Length > 0) WriteObject(line);
        }
    });

    /// <summary>Which stream record a deserialized object was (ErrorRecord, WarningRecord, ...), or null for output.</summary>
    private static string? StreamRecord(PSObject o)
    {
        foreach (var kind in new[] { "ErrorRecord", "WarningRecord", "VerboseRecord", "DebugRecord", "InformationRecord" })
            if (o.TypeNames.Any(t => t.EndsWith("System.Management.Automation." + kind, StringComparison.Ordinal))) return kind;
        return null;
    }

    private static string FindPwsh()
    {
        // The pwsh running this session, if it is one; else pwsh from PATH.
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "pwsh") return self;
        return "pwsh";
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
