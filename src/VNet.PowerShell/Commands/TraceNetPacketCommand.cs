using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Follows one flow through the firewall (what `iptables -t raw -j TRACE` plus reading the kernel
/// log gives): each table/chain/rule it passed, in order, with the verdict. Bounded by -TimeoutSec
/// and -MaxSteps; its marking rule is removed afterwards, also on Ctrl+C.
/// </summary>
[Cmdlet(VerbsDiagnostic.Trace, "NetPacket", SupportsShouldProcess = true)]
[OutputType(typeof(NetTraceStep))]
public sealed class TraceNetPacketCommand : VNetCmdlet
{
    /// <summary>The namespace whose firewall to watch (the "host" the packet crosses).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] [ValidateSet("icmp", "tcp", "udp")] public string Protocol { get; set; } = "icmp";
    [Parameter] public string? Source { get; set; }
    [Parameter] public string? Destination { get; set; }
    [Parameter] public int? Port { get; set; }

    /// <summary>Send one probe from this namespace (a ping, or a TCP/UDP packet to -Port); without it, wait for traffic.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? SendFrom { get; set; }

    [Parameter] [ValidateRange(1, 300)] public int TimeoutSec { get; set; } = 3;
    [Parameter] [ValidateRange(1, 100000)] public int MaxSteps { get; set; } = 200;

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'", $"Trace {Protocol} {Source} -> {Destination}")) return;
        Try(() =>
        {
            var steps = Ctx.Trace.Trace(new TraceSpec
            {
                Namespace = Namespace, Protocol = Protocol, Source = Source, Destination = Destination, Port = Port,
                SendFrom = SendFrom, TimeoutMs = TimeoutSec * 1000, MaxSteps = MaxSteps,
            }, _cancel.Token);
            if (steps.Count == 0 && !_cancel.IsCancellationRequested) WriteWarning(WhyNothing());
            WriteObject(steps, true);
        });
    }

    /// <summary>An empty trace says nothing by itself: say which of the usual reasons applies.</summary>
    private string WhyNothing()
    {
        string where = string.IsNullOrEmpty(Namespace) ? "the current namespace" : $"namespace '{Namespace}'";
        string reason;
        if (Ctx.Ruleset.List(Namespace).Count == 0)
            reason = $"{where} has no firewall rules at all, so a packet crosses it without passing any chain to report.";
        else if (SendFrom == null)
            reason = "Nothing matching was sent meanwhile: give -SendFrom NAMESPACE to send a probe, or make the traffic while the trace waits (-TimeoutSec).";
        else
            reason = $"The probe from '{SendFrom}' did not cross {where}: -Namespace is the host the packet passes through (its routing and firewall), and -Source/-Destination must match the packet as it arrives there.";
        return VNet.Core.Messages.Format("TraceSawNothing", where, TimeoutSec, reason);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
