using VNet.Core.Networks;

namespace VNet.PowerShell;

/// <summary>Base of the container-network cmdlets: one network service over the invocation's context and the host's store.</summary>
public abstract class NetworkCmdlet : VNetCmdlet
{
    private NetworkService? _networks;

    protected NetworkService Networks => _networks ??= new NetworkService(Ctx, new LocalNetworkStore());

    /// <summary>What the last operation noted beyond its result, on the verbose stream.</summary>
    protected void WriteNotes()
    {
        if (_networks == null) return;
        foreach (var n in _networks.Notes) WriteVerbose(n);
        _networks.Notes.Clear();
    }

    /// <summary>Runs the work and writes its notes even when it failed (an undo that could not finish is one of them).</summary>
    protected void TryWithNotes(Action work) => Try(() =>
    {
        try { work(); }
        finally { WriteNotes(); }
    });

    protected static EndpointTarget Target(string? ns, string? container, int? pid) =>
        new() { Namespace = ns, Container = container, ProcessId = pid };
}
