namespace VNet.Core;

/// <summary>
/// What one call of the core has to tell its caller besides its result: notes for -Verbose and
/// warnings for the user. Each call gets its own (an optional argument), so nothing said by one
/// call lingers for the next or leaks between callers sharing a service.
/// </summary>
public sealed class Diagnostics
{
    public List<string> Notes { get; } = new();
    public List<string> Warnings { get; } = new();

    /// <summary>A sink for callers that do not listen.</summary>
    internal static Diagnostics Discard => new();
}
