using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Starts a lab's etcd members again (those named, or every one not running) from their data, and
/// waits until every running member answers healthy, which needs a quorum.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "VNetLabStore", SupportsShouldProcess = true)]
[OutputType(typeof(EtcdMember))]
public sealed class StartVNetLabStoreCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Lab")]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    [Alias("Host")]
    public string[]? HostName { get; set; }

    /// <summary>How long to wait for the cluster to be healthy.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    protected override void ProcessRecord() => Try(() =>
    {
        string which = HostName is { Length: > 0 } ? $"on host(s) {string.Join(", ", HostName)}" : "not running";
        if (!ShouldProcess($"etcd members {which} of lab {Name}", "Start")) return;
        WriteObject(EtcdCluster.StartMembers(Name, HostName, TimeSpan.FromSeconds(TimeoutSeconds)), true);
    });
}
