using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using VNet.Core.Native;
using VNet.Core.Networks.Cluster;
using VNet.Core.Networks.Dns;

namespace VNet.Core.Networks.Agent;

/// <summary>
/// The VNet agent's life, whichever runtime hosts it (see <see cref="AgentLauncher"/>): let go of
/// the caller's terminal and pipes, take the per-host lock (a second agent waits for the first to
/// go, then serves), open the resolver's listeners for every member namespace in the store, then
/// serve the control socket until asked to stop or until no network has a member for a while.
/// Everything that changes what it serves goes through this one loop, so deciding to exit and
/// answering a request never race inside the agent; a caller whose request met an exiting agent
/// simply starts the next one (see <see cref="AgentClient"/>).
/// </summary>
public static class AgentMain
{
    /// <summary>Seconds without any member before the agent exits (default 5: a script that disconnects and reconnects does not restart it).</summary>
    public const string IdleEnv = "VNET_AGENT_IDLE_SECONDS";
    private static readonly JsonSerializerOptions Json = new();

    [DllImport("libc", SetLastError = true)] private static extern int dup2(int oldfd, int newfd);
    [DllImport("libc", SetLastError = true)] private static extern int setsid();

    private static volatile bool s_stop;

    /// <summary>The agent process's entry point; returns its exit code.</summary>
    public static int Run(string[] args)
    {
        Detach();
        string host = args.FirstOrDefault(a => a.StartsWith("--host=", StringComparison.Ordinal))?["--host=".Length..] ?? "dotnet";
        // An agent that is exiting still holds the lock for a moment: wait for it, then serve.
        var held = FileLock.TryAcquire(AgentPaths.Lock, TimeSpan.FromSeconds(10));
        if (held == null)
        {
            Log("not starting: another agent holds " + AgentPaths.Lock);
            return 1;
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; s_stop = true; });
        using (held)
        {
            try { return Serve(host); }
            catch (Exception e)
            {
                Log($"failed: {e}");
                return 2;
            }
            finally
            {
                TryDelete(AgentPaths.Socket);
                TryDelete(AgentPaths.Pid);
            }
        }
    }

    private static int Serve(string host)
    {
        AtomicFile.Write(AgentPaths.Pid, Encoding.ASCII.GetBytes(Environment.ProcessId + "\n"), sync: false);
        // Holding the lock makes any socket file left there a dead agent's.
        TryDelete(AgentPaths.Socket);
        using var control = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        control.Bind(new UnixDomainSocketEndPoint(AgentPaths.Socket));
        control.Listen(64);
        var started = DateTime.UtcNow;
        var idleLimit = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable(IdleEnv), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s >= 0 ? s : 5);

        using var resolver = new DnsResolver(new LocalNetworkStore(), new UpstreamForwarder());
        using var overlayCtx = new NetContext();
        using var overlay = new OverlaySlot(overlayCtx, resolver);
        overlay.TryStart();
        resolver.Reconcile();
        Log($"started (process {Environment.ProcessId}, host {host}, run root {StateRoots.Run}); serving {resolver.Listeners.Count} namespace(s); upstream {string.Join(", ", resolver.Upstream.Servers)}");

        DateTime? idleSince = null;
        var nextCheck = DateTime.UtcNow;
        var nextFull = DateTime.UtcNow.AddSeconds(2);
        while (!s_stop)
        {
            // Waits for a request until the next check is due, not on a fixed tick: two wake-ups a
            // second while idle, each a stat per listener (the DNS listeners themselves block).
            var wait = nextCheck - DateTime.UtcNow;
            if (control.Poll(wait > TimeSpan.Zero ? (int)Math.Min(wait.TotalMicroseconds, 500_000) : 0, SelectMode.SelectRead))
            {
                Socket c;
                try { c = control.Accept(); }
                catch (SocketException) { continue; }
                using (c)
                {
                    if (Handle(c, resolver, overlay, host, started)) break;
                }
                idleSince = null;
            }
            var now = DateTime.UtcNow;
            if (now < nextCheck) continue;
            nextCheck = now.AddMilliseconds(500);
            // A namespace deleted behind VNet's back is let go at once (a stat per listener) ...
            resolver.DropGone();
            if (now < nextFull) continue;
            // ... and every 2 s the listeners are matched with the store (re-read only when it
            // changed): what no request told, such as records Repair removed or a Disconnect whose
            // caller died before it could ask, and whether any network still has a member.
            nextFull = now.AddSeconds(2);
            try { resolver.Reconcile(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log($"reconcile: {e.Message}"); continue; }
            // Overlay members keep it too: their entries on other hosts and names need it.
            if (resolver.Table.Members.Count > 0 || overlay.Agent?.HasLocalMembers == true) { idleSince = null; continue; }
            idleSince ??= now;
            if (now - idleSince.Value >= idleLimit)
            {
                Log("no network has a member: exiting");
                break;
            }
        }
        // New callers must find no socket (and start a new agent) before this one stops answering.
        TryDelete(AgentPaths.Socket);
        Log("stopped");
        return 0;
    }

    /// <summary>
    /// The overlay loop, when this host has a cluster store set and an implementation of it is
    /// linked in (<see cref="OverlayAgent.StoreFactory"/>); null otherwise. A store that cannot be
    /// reached is not a reason to stop: the loop retries on its own.
    /// </summary>
    private sealed class OverlaySlot : IDisposable
    {
        private readonly NetContext _ctx;
        private readonly DnsResolver _resolver;
        public OverlaySlot(NetContext ctx, DnsResolver resolver) { _ctx = ctx; _resolver = resolver; }
        public OverlayAgent? Agent { get; private set; }

        /// <summary>
        /// Starts the loop unless it runs. Tried at the start and again at each overlay-sync, so an
        /// agent started before Set-VNetStore takes up the overlay work at the first overlay Connect.
        /// </summary>
        public OverlayAgent? TryStart()
        {
            if (Agent != null) return Agent;
            StoreSettings? settings;
            try { settings = StoreSettings.Load(); }
            catch (VNetException e) { Log($"overlay: {e.Message}"); return null; }
            if (settings == null) return null;
            if (OverlayAgent.StoreFactory is not { } open)
            {
                Log("overlay: a cluster store is set but no implementation of it is linked into the agent");
                return null;
            }
            Agent = new OverlayAgent(_ctx, settings, open, Log, snap => _resolver.SetOverlay(snap, settings.HostId));
            Agent.Start();
            return Agent;
        }

        public void Dispose() => Agent?.Dispose();
    }

    /// <summary>One request line, one reply line. True when the agent must stop.</summary>
    private static bool Handle(Socket c, DnsResolver resolver, OverlaySlot overlaySlot, string host, DateTime started)
    {
        c.ReceiveTimeout = 2000;
        c.SendTimeout = 2000;
        string line;
        try { line = ReadLine(c); }
        catch (SocketException) { return false; }
        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string verb = parts.Length > 0 ? parts[0] : "";
        string reply;
        bool stop = false;
        switch (verb)
        {
            case "ping":
                reply = "ok";
                break;
            case "serve":
                // serve INODE PATH: Connect's request, answered without reading the store.
                var serve = parts.Length > 1 ? parts[1].Split(' ', 2) : Array.Empty<string>();
                if (serve.Length == 2 && ulong.TryParse(serve[0], out var servedInode))
                    reply = resolver.Serve(servedInode, serve[1]) is { } why ? "error " + why : "ok";
                else
                    reply = "error serve needs an inode and a path";
                break;
            case "release":
                if (parts.Length > 1 && ulong.TryParse(parts[1], out var releasedInode)) resolver.Release(releasedInode);
                reply = "ok";
                break;
            case "sync":
                try { resolver.Reconcile(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { reply = "error " + e.Message; break; }
                reply = "ok";
                break;
            case "overlay-sync":
                // Connect / Disconnect of an overlay endpoint: reconcile now from a fresh snapshot.
                var overlay = overlaySlot.TryStart();
                reply = overlay == null ? "ok none" : overlay.SyncNow() is { } failed ? "error " + failed : "ok";
                // Listeners for this host's overlay members come from the snapshot just read.
                if (overlay != null)
                {
                    try { resolver.Reconcile(); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log($"reconcile: {e.Message}"); }
                }
                break;
            case "status":
                try { resolver.Reconcile(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log($"reconcile: {e.Message}"); }
                var st = Status(resolver, host, started);
                st.Overlay = overlaySlot.Agent?.Status();
                reply = "ok " + JsonSerializer.Serialize(st, Json);
                break;
            case "stop":
                reply = "ok";
                stop = true;
                Log("asked to stop");
                break;
            default:
                reply = "error unknown request";
                break;
        }
        try { c.Send(Encoding.UTF8.GetBytes(reply.Replace('\n', ' ') + "\n")); }
        catch (SocketException) { }
        return stop;
    }

    private static AgentStatus Status(DnsResolver resolver, string host, DateTime started)
    {
        var table = resolver.Table;
        var served = resolver.Listeners.ToDictionary(l => l.Inode);
        var failures = resolver.Failures;
        var status = new AgentStatus
        {
            State = "Running",
            ProcessId = Environment.ProcessId,
            Started = started,
            Host = host,
            Upstream = resolver.Upstream.Servers.Select(s => s.ToString()).ToList(),
            Answered = resolver.Answered,
            Forwarded = resolver.Forwarded,
            RunDirectory = StateRoots.Run,
        };
        foreach (var e in table.Members)
        {
            if (!status.Networks.Contains(e.Network)) status.Networks.Add(e.Network);
            var ns = status.Namespaces.FirstOrDefault(n => n.Inode == e.NamespaceInode && e.NamespaceInode != 0);
            if (ns == null)
            {
                ns = new AgentNamespace
                {
                    Path = e.NamespacePath ?? e.Namespace ?? "",
                    Inode = e.NamespaceInode,
                    Serving = served.ContainsKey(e.NamespaceInode),
                    Error = failures.TryGetValue(e.NamespaceInode, out var why) ? why : null,
                };
                if (!ns.Serving && ns.Error == null) ns.Error = "the namespace is gone";
                status.Namespaces.Add(ns);
            }
            if (!ns.Networks.Contains(e.Network)) ns.Networks.Add(e.Network);
        }
        status.Networks.Sort(StringComparer.Ordinal);
        return status;
    }

    internal static string ReadLine(Socket c)
    {
        var buffer = new byte[1];
        var line = new List<byte>();
        while (line.Count < 65536)
        {
            int n = c.Receive(buffer);
            if (n == 0 || buffer[0] == (byte)'\n') break;
            line.Add(buffer[0]);
        }
        return Encoding.UTF8.GetString(line.ToArray()).Trim();
    }

    /// <summary>
    /// Stdin from /dev/null, stdout and stderr to the log, a session of its own: nothing of the
    /// caller's (a terminal, the pipe of a `$(pwsh -c ...)`) is held, so the caller's reader sees
    /// its end of file and no hang-up signal of the caller's terminal reaches the agent.
    /// </summary>
    private static void Detach()
    {
        Directory.CreateDirectory(AgentPaths.Dir);
        int nul = Sys.Open("/dev/null", 2 /* O_RDWR */);
        dup2(nul, 0);
        Sys.Close(nul);
        int log = Sys.Open(AgentPaths.Log, 1 /* O_WRONLY */ | Sys.O_CREAT | 0x400 /* O_APPEND */, Convert.ToInt32("640", 8));
        dup2(log, 1);
        dup2(log, 2);
        Sys.Close(log);
        setsid(); // fails harmlessly when the launcher made the session already
    }

    private static void Log(string text)
    {
        try { File.AppendAllText(AgentPaths.Log, $"{DateTime.UtcNow:O} [{Environment.ProcessId}] {text}\n"); }
        catch (IOException) { }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
