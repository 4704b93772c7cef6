using System.Diagnostics;
using System.Globalization;
using VNet.Core.Native;

namespace VNet.Core.Namespaces;

/// <summary>
/// Processes living in a namespace: background programs started there (web servers, `iperf3 -s`),
/// the ones that keep a namespace and its interfaces alive after its name is removed, and ending them.
/// </summary>
public static class NamespaceProcesses
{
    /// <summary>
    /// The processes in the namespace named <paramref name="name"/> (empty when it does not exist),
    /// leaving out this process and its ancestors: a shell entered into the namespace is not what
    /// "still lives inside" means to the one removing it.
    /// </summary>
    public static List<NetProcess> In(NetContext ctx, string name)
    {
        var ns = ctx.Namespaces.List(new[] { name }, null, includeProcesses: true).FirstOrDefault(n => n.Name == name);
        if (ns == null) return new List<NetProcess>();
        var mine = SelfAndAncestors();
        return ns.Processes.Where(p => !mine.Contains(p.ProcessId)).ToList();
    }

    /// <summary>Ends processes: SIGTERM, up to <paramref name="grace"/> to exit, then SIGKILL for the rest. Returns those that were signalled.</summary>
    public static List<NetProcess> End(IReadOnlyCollection<NetProcess> processes, TimeSpan grace)
    {
        var signalled = processes.Where(p => Sys.Kill(p.ProcessId, Sys.SIGTERM) == 0).ToList();
        var deadline = Stopwatch.StartNew();
        while (signalled.Any(p => Alive(p.ProcessId)) && deadline.Elapsed < grace) Thread.Sleep(20);
        foreach (var p in signalled.Where(p => Alive(p.ProcessId))) Sys.Kill(p.ProcessId, Sys.SIGKILL);
        return signalled;
    }

    /// <summary>
    /// Starts a program in the background inside a namespace and returns it. It is detached from the
    /// caller the way a daemon is: a session of its own (setsid, so the terminal's Ctrl+C and hangup
    /// do not reach it), stdin from /dev/null, stdout and stderr to the given files or /dev/null, so
    /// it holds none of the caller's descriptors (`$(pwsh -c ...)` would otherwise wait for it to
    /// end). setsid and `sh -c exec` both replace themselves, so the Process is the program itself.
    /// </summary>
    public static Process Start(NetContext ctx, string ns, string file, IEnumerable<string> args,
        string? standardOutput = null, string? standardError = null, string? workingDirectory = null)
    {
        string? setsid = new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/sbin/setsid" }.FirstOrDefault(File.Exists);
        var psi = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        if (setsid != null) psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("o=$1; e=$2; shift 2; exec \"$@\" </dev/null >>\"$o\" 2>>\"$e\"");
        psi.ArgumentList.Add("vnet-start"); // $0
        psi.ArgumentList.Add(standardOutput ?? "/dev/null");
        psi.ArgumentList.Add(standardError ?? "/dev/null");
        psi.ArgumentList.Add(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (!File.Exists(file) && !file.Contains('/') && FindOnPath(file) == null)
            throw Messages.Error("CommandNotFound", VNetErrorCategory.ObjectNotFound, file, file, "not found on PATH");
        var process = ctx.Namespaces.StartProcess(ns, psi);
        // Return once the wrappers have become the program, so that what lists the namespace's
        // processes next (Get-NetNamespace, Remove-NetNamespace's warning) names the program.
        string comm = Path.GetFileName(file);
        comm = comm.Length > 15 ? comm[..15] : comm;
        var waited = Stopwatch.StartNew();
        while (waited.ElapsedMilliseconds < 500 && !process.HasExited && ReadComm(process.Id) is string c && c != comm) Thread.Sleep(5);
        return process;
    }

    private static string? ReadComm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n'); }
        catch (IOException) { return null; }
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);

    private static bool Alive(int pid)
    {
        // A zombie still has /proc/PID but has ended: its state letter is Z.
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    private static HashSet<int> SelfAndAncestors()
    {
        var set = new HashSet<int>();
        int pid = Environment.ProcessId;
        while (pid > 1 && set.Add(pid))
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                pid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
                break;
            }
        }
        return set;
    }
}
