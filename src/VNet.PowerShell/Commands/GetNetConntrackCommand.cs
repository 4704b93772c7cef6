using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>`conntrack -L`: tracked connections with their original and reply tuples, so NAT can be seen happening.</summary>
[Cmdlet(VerbsCommon.Get, "NetConntrack")]
[OutputType(typeof(NetConntrackEntry))]
public sealed class GetNetConntrackCommand : VNetCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public string? Source { get; set; }
    [Parameter] public string? Destination { get; set; }

    /// <summary>`conntrack -E`: stream new, updated and destroyed connections instead of listing them.</summary>
    [Parameter] public SwitchParameter Watch { get; set; }

    /// <summary>With -Watch: stop after this many seconds (0: until Ctrl+C).</summary>
    [Parameter] [Alias("Timeout")] [ValidateRange(0, int.MaxValue / 1000)] public int TimeoutSec { get; set; }

    /// <summary>With -Watch: stop after this many events (0: no limit).</summary>
    [Parameter] [ValidateRange(0, int.MaxValue)] public int Count { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        if (!Watch) { Try(() => WriteObject(Ctx.Conntrack.List(Namespace, Source, Destination), true)); return; }
        var spec = new VNet.Core.Events.WatchSpec { Namespaces = new[] { Namespace }, TimeoutMs = TimeoutSec * 1000, Count = Count };
        Try(() =>
        {
            foreach (var e in new VNet.Core.Events.NetEventWatcher(Ctx).WatchConntrack(spec, Source, Destination, _cancel.Token))
            {
                // An event view (time and event first); the object stays a NetConntrackEntry.
                var o = PSObject.AsPSObject(e);
                o.TypeNames.Insert(0, "VNet.Core.Filter.NetConntrackEntry#Watch");
                o.Properties.Add(new PSNoteProperty("Time", DateTime.Now));
                WriteObject(o);
            }
        });
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
