using System.Management.Automation;
using VNet.Core.Events;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `ip monitor` as objects: link, address, route, neighbour and FDB changes, streamed to the
/// pipeline as the kernel announces them, from one or several namespaces at once (each event names
/// its namespace), until Ctrl+C, -TimeoutSec or -Count.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "NetEvent")]
[OutputType(typeof(NetEvent))]
public sealed class WatchNetEventCommand : VNetCmdlet
{
    /// <summary>Namespaces to watch ('' is the current one); by default the current one.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [AllowEmptyString]
    public string[]? Namespace { get; set; }

    [Parameter]
    [ValidateSet("Link", "Address", "Route", "Neighbour", "Fdb")]
    public string[]? Kind { get; set; }

    /// <summary>Stop after this many seconds (0: until Ctrl+C).</summary>
    [Parameter] [Alias("Timeout")] [ValidateRange(0, int.MaxValue / 1000)] public int TimeoutSec { get; set; }

    /// <summary>Stop after this many events (0: no limit).</summary>
    [Parameter] [ValidateRange(0, int.MaxValue)] public int Count { get; set; }

    private readonly List<string?> _namespaces = new();
    private readonly CancellationTokenSource _cancel = new();

    // Namespaces may come from the pipeline (Get-NetNamespace a, b | Watch-NetEvent): gather them,
    // then watch them all in one stream.
    protected override void ProcessRecord()
    {
        if (Namespace != null) _namespaces.AddRange(Namespace);
    }

    protected override void EndProcessing()
    {
        try
        {
            Try(() =>
            {
                var spec = new WatchSpec { Namespaces = _namespaces, Kinds = Kind, TimeoutMs = TimeoutSec * 1000, Count = Count };
                foreach (var e in new NetEventWatcher(Ctx).Watch(spec, _cancel.Token)) WriteObject(e);
            });
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        finally
        {
            base.EndProcessing();
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
