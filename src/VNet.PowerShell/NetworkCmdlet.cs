using VNet.Core;
using VNet.Core.Networks;

namespace VNet.PowerShell;

/// <summary>Base of the container-network cmdlets: one network service over the invocation's context and the host's store.</summary>
public abstract class NetworkCmdlet : VNetCmdlet
{
    private NetworkService? _networks;

    /// <summary>Local networks and, when a cluster store is set, overlay ones (CompositeNetworkStore).</summary>
    protected NetworkService Networks => _networks ??= new NetworkService(Ctx, new CompositeNetworkStore());

    /// <summary>
    /// Runs the work with a <see cref="Diagnostics"/> of its own for the one core call it makes, and
    /// writes its notes (verbose) and warnings even when it failed (an undo that could not finish is
    /// one of the notes).
    /// </summary>
    protected void TryWithDiagnostics(Action<Diagnostics> work) => Try(() =>
    {
        var d = new Diagnostics();
        try { work(d); }
        finally
        {
            foreach (var w in d.Warnings) WriteWarning(w);
            foreach (var n in d.Notes) WriteVerbose(n);
        }
    });

    protected static EndpointTarget Target(string? ns, string? container, int? pid) =>
        new() { Namespace = ns, Container = container, ProcessId = pid };
}
