using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Starts a program on a lab host in the background and returns at once (a server, an agent, a
/// long ping): it runs detached on the host, its output goes to a log file there, and it ends when
/// the host is killed or the lab stopped.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VNetLabProcess", SupportsShouldProcess = true)]
[OutputType(typeof(LabProcess))]
public sealed class StartVNetLabProcessCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Lab")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Host")]
    public string HostName { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2)]
    public string FilePath { get; set; } = "";

    [Parameter(Position = 3, ValueFromRemainingArguments = true)]
    [Alias("Args")]
    public string[]? ArgumentList { get; set; }

    /// <summary>Where the output goes, on the host (default /run/vnet/lab-log/PROGRAM.log).</summary>
    [Parameter] public string? LogPath { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var lab = EmulatedLab.Require(Name);
        if (lab.Backend == "Vagrant")
            throw VNet.Core.Messages.Error("LabBackendUnsupported", VNet.Core.VNetErrorCategory.NotImplemented, Name, Name, "Start-VNetLabProcess", "Vagrant", "Invoke-VNetLabCommand with nohup");
        var host = EmulatedLab.RunningHost(lab, HostName);
        string[] args = ArgumentList ?? Array.Empty<string>();
        if (!ShouldProcess($"host {host.Name} of lab {lab.Name}", $"Start '{string.Join(' ', new[] { FilePath }.Concat(args))}' in the background")) return;
        WriteObject(EmulatedLab.StartProcess(lab, host, FilePath, args, LogPath));
    });
}
