using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VNet.Core.Native;

namespace VNet.Core.Networks.Agent;

/// <summary>
/// The caller's side of the agent: one request line over its control socket, one reply line.
/// <see cref="EnsureServing"/> is what Connect waits on: it starts the agent when none answers
/// (one caller at a time, under the launch lock), and returns only when the agent says it serves
/// the namespace.
/// </summary>
public static class AgentClient
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The agent's reply, or null when no agent answers (none running, or one that is exiting or was killed).</summary>
    public static string? Request(string line, int timeoutMs = 10000)
    {
        if (!File.Exists(AgentPaths.Socket)) return null;
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(AgentPaths.Socket));
            s.ReceiveTimeout = timeoutMs;
            s.SendTimeout = timeoutMs;
            s.Send(Encoding.UTF8.GetBytes(line + "\n"));
            string reply = AgentMain.ReadLine(s);
            return reply.Length == 0 ? null : reply;
        }
        catch (SocketException) { return null; }
    }

    /// <summary>
    /// Returns once the agent serves the namespace with this inode (starting the agent if needed);
    /// throws AgentFailed naming why it could not.
    /// </summary>
    public static void EnsureServing(ulong namespaceInode, string namespacePath, string display)
    {
        if (namespacePath.Contains('\n')) throw new ArgumentException("A namespace path cannot hold a line break.", nameof(namespacePath));
        // A new agent reads every member from the store as it starts; a running one is told this one.
        string request = "serve " + namespaceInode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + namespacePath;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string? reply = Request(request);
            if (reply == "ok") return;
            if (reply != null && reply.StartsWith("error ", StringComparison.Ordinal))
                throw Messages.Error("AgentNotServing", VNetErrorCategory.InvalidOperation, display, display, reply[6..], AgentPaths.Log);
            Start();
        }
        throw Messages.Error("AgentFailed", VNetErrorCategory.InvalidOperation, AgentPaths.Dir, "it did not answer after being started", AgentPaths.Log);
    }

    /// <summary>Tells a running agent to look at the store again now; quiet when none runs.</summary>
    public static void Sync() => Request("sync");

    /// <summary>
    /// Asks the agent to reconcile the overlay networks now (Connect / Disconnect of an overlay
    /// endpoint), so this host's vxlan devices hold their entries when the call returns. Returns
    /// null when done or when no agent runs, else the agent's reason (it keeps retrying itself).
    /// </summary>
    public static string? OverlaySync()
    {
        string? reply = Request("overlay-sync");
        return reply != null && reply.StartsWith("error ", StringComparison.Ordinal) ? reply[6..] : null;
    }

    /// <summary>Tells a running agent that a namespace left its last network, so it closes its listener there now; quiet when none runs.</summary>
    public static void Release(ulong namespaceInode) => Request("release " + namespaceInode.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts an agent unless one answers; returns when one answers.</summary>
    public static void Start()
    {
        using var launch = FileLock.TryAcquire(AgentPaths.LaunchLock, StartTimeout)
            ?? throw Messages.Error("AgentFailed", VNetErrorCategory.ResourceBusy, AgentPaths.LaunchLock, $"another caller has been starting it for {StartTimeout.TotalSeconds} s", AgentPaths.Log);
        if (Request("ping") == "ok") return; // another caller started it meanwhile
        var launcher = AgentLauncher.Launch();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Request("ping", 2000) == "ok") return;
            Thread.Sleep(20);
        }
        throw Messages.Error("AgentFailed", VNetErrorCategory.InvalidOperation, AgentPaths.Dir,
            $"{launcher} did not open {AgentPaths.Socket} within {StartTimeout.TotalSeconds} s: {LastLogLine()}", AgentPaths.Log);
    }

    /// <summary>
    /// After the host's store setting changed: a running agent read the old one when it started
    /// (it registered this host with it and watches it), so it is replaced by one that reads the new.
    /// </summary>
    public static void RestartIfRunning()
    {
        if (Request("ping", 2000) != "ok") return;
        Stop(TimeSpan.FromSeconds(10));
        Start();
    }

    /// <summary>The agent's status, or a Stopped one when none runs.</summary>
    public static AgentStatus Status()
    {
        string? reply = Request("status");
        if (reply != null && reply.StartsWith("ok ", StringComparison.Ordinal))
        {
            var status = JsonSerializer.Deserialize<AgentStatus>(reply[3..]);
            if (status != null) return status;
        }
        return new AgentStatus { State = "Stopped", RunDirectory = StateRoots.Run };
    }

    /// <summary>Asks the agent to stop and waits until its process is gone; false when none was running.</summary>
    public static bool Stop(TimeSpan timeout)
    {
        int? pid = ReadPid();
        if (Request("stop") != "ok") return false;
        var deadline = DateTime.UtcNow + timeout;
        // The agent holds its lock until its very end; once a try-lock succeeds, it is gone.
        while (DateTime.UtcNow < deadline)
        {
            if (pid == null || !Directory.Exists($"/proc/{pid}")) return true;
            using (var free = FileLock.TryAcquire(AgentPaths.Lock, TimeSpan.Zero))
                if (free != null) return true;
            Thread.Sleep(20);
        }
        return true;
    }

    public static int? ReadPid()
    {
        try { return int.TryParse(File.ReadAllText(AgentPaths.Pid).Trim(), out int p) ? p : null; }
        catch (IOException) { return null; }
    }

    private static string LastLogLine()
    {
        try
        {
            string line = File.ReadLines(AgentPaths.Log).LastOrDefault(l => l.Trim().Length > 0) ?? "(its log is empty)";
            // A runtime's own error may come coloured (ANSI escapes): only the words go into the message.
            line = System.Text.RegularExpressions.Regex.Replace(line, @"\x1b\[[0-9;?]*[A-Za-z]", "");
            return new string(line.Where(ch => !char.IsControl(ch)).ToArray()).Trim();
        }
        catch (IOException) { return "(no log)"; }
    }
}
