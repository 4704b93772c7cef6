namespace VNet.Core.Native;

/// <summary>
/// Replaces a file's content so that a reader (or a crash) sees the old content or the new, never
/// half: a temporary file in the same folder, optionally fsync'd, renamed over the old one. The
/// temporary name carries the process and thread, so two writers of one file never share it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>; <paramref name="sync"/> flushes it to disk before the rename.</summary>
    public static void Write(string path, byte[] content, bool sync = true)
    {
        string dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(content);
            f.Flush(flushToDisk: sync);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
