namespace VNet.Core.Networks;

/// <summary>
/// The steps a multi-step operation has done, each with the action that takes it back. On failure
/// they run in reverse; an undo step that fails is noted and the rest still run, so the error the
/// caller sees is the first one (what went wrong), not one from the tidying after it.
/// </summary>
internal sealed class UndoList
{
    private readonly List<(string What, Action Undo)> _steps = new();

    public void Add(string what, Action undo) => _steps.Add((what, undo));

    /// <summary>Runs every undo step, last first; returns what could not be undone.</summary>
    public List<string> Run()
    {
        var failed = new List<string>();
        for (int i = _steps.Count - 1; i >= 0; i--)
        {
            try { _steps[i].Undo(); }
            catch (Exception e) when (e is VNetException or IOException or UnauthorizedAccessException or Native.SystemCallException)
            {
                failed.Add($"{_steps[i].What}: {e.Message}");
            }
        }
        _steps.Clear();
        return failed;
    }

    /// <summary>The operation succeeded: nothing is to be undone.</summary>
    public void Commit() => _steps.Clear();
}
