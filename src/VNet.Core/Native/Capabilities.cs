using System.Globalization;

namespace VNet.Core.Native;

/// <summary>
/// The calling thread's effective capabilities (capabilities are per thread), for the one place
/// that must know them before it acts: libnftables prints "Operation not permitted (you must be
/// root)" straight to the process's stderr, bypassing its error buffer, so VNet asks first and
/// answers with an ErrorRecord instead.
/// </summary>
internal static class Capabilities
{
    public const int CAP_NET_ADMIN = 12;
    public const int CAP_SYS_ADMIN = 21;

    /// <summary>True when the calling thread holds the capability (or its status cannot be read: let the kernel judge).</summary>
    public static bool Has(int cap)
    {
        string status;
        try { status = File.ReadAllText("/proc/thread-self/status"); }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("CapEff:", StringComparison.Ordinal)) continue;
            if (!ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong eff)) return true;
            return (eff & (1UL << cap)) != 0;
        }
        return true;
    }
}
