using System.Diagnostics;

namespace VNet.Core.Networks.Agent;

/// <summary>
/// How the agent process is started. Its code is <see cref="AgentMain"/> in VNet.Core; what hosts it
/// depends on what the machine has:
/// <list type="bullet">
/// <item><b>dotnet VNet.Agent.dll</b> when a `dotnet` muxer exists (developers, CI, the xunit host,
/// the benchmarks): VNet.Agent is a console project of a few lines beside the module whose Main
/// calls AgentMain.Run. It is the lean choice: one runtime, no PowerShell engine (about a third of
/// the memory of a pwsh process, and it starts faster).</item>
/// <item><b>pwsh hosting AgentMain</b> otherwise: users have pwsh, a self-contained app with no
/// `dotnet` muxer that could run VNet.Agent.dll, so the agent runs in `pwsh -NoProfile
/// -NonInteractive -Command` that imports the module and calls AgentMain.Run.</item>
/// </list>
/// $VNET_AGENT_LAUNCH=dotnet|pwsh forces one (the tests run both). Either way the process is
/// started through `setsid -f` under /bin/sh with stdin from /dev/null and its output appended to
/// the agent's log: it is not the caller's child (nothing reaps or signals it with the caller),
/// holds neither the caller's terminal nor its pipes, and a runtime that fails to start leaves its
/// words in the log rather than on the caller's screen. The sh script is a constant; the program
/// and its arguments travel as positional parameters, never spliced into it.
/// </summary>
public static class AgentLauncher
{
    public const string LaunchEnv = "VNET_AGENT_LAUNCH";
    private const string Detach = "exec setsid -f \"$@\" </dev/null >>\"$VNET_AGENT_LOG\" 2>&1";

    // The pwsh side's script is constant too: the module's path comes from the environment.
    // The module first (it teaches the runtime where Tmds.LibC lives), then VNet.Core itself, which
    // PowerShell's type names only find once it is loaded.
    private const string PwshScript =
        "$PSStyle.OutputRendering = 'PlainText'; " +
        "if (Test-Path $env:VNET_AGENT_MODULE) { Import-Module $env:VNET_AGENT_MODULE }; " +
        "Add-Type -Path $env:VNET_AGENT_CORE; " +
        "exit [VNet.Core.Networks.Agent.AgentMain]::Run(@('--host=pwsh'))";

    private static string CoreDir => Path.GetDirectoryName(typeof(AgentMain).Assembly.Location)!;

    /// <summary>The program and arguments that run the agent on this machine.</summary>
    public static (string File, List<string> Args, string Kind) Command()
    {
        string forced = Environment.GetEnvironmentVariable(LaunchEnv) ?? "";
        string agentDll = Path.Combine(CoreDir, "VNet.Agent.dll");
        if (forced != "pwsh" && File.Exists(agentDll) && FindDotnet() is { } dotnet)
            return (dotnet, new List<string> { agentDll, "--host=dotnet" }, "dotnet");
        if (forced == "dotnet")
            throw Messages.Error("AgentFailed", VNetErrorCategory.NotImplemented, agentDll, $"{LaunchEnv}=dotnet, but no dotnet muxer or no {agentDll}", AgentPaths.Log);
        if (FindPwsh() is { } pwsh)
            return (pwsh, new List<string> { "-NoProfile", "-NonInteractive", "-NoLogo", "-Command", PwshScript }, "pwsh");
        throw Messages.Error("AgentFailed", VNetErrorCategory.NotImplemented, CoreDir, "neither dotnet (with VNet.Agent.dll) nor pwsh was found to run it", AgentPaths.Log);
    }

    /// <summary>
    /// Starts the agent detached; returns a description of what was started (for errors). A child
    /// process starts in the namespace of the thread that forks it, and a caller may be a thread
    /// inside a container's namespace (a script block of Invoke-NetNamespace that connects): the
    /// agent must live in the process's own namespace, where the host's resolvers are, so then the
    /// launch runs on the core's worker, which lives there.
    /// </summary>
    public static string Launch()
    {
        var leader = Native.Sys.StatPath("/proc/self/ns/net");
        var mine = Native.Sys.StatPath("/proc/thread-self/ns/net");
        if (leader.HasValue && mine.HasValue && leader.Value.Ino != mine.Value.Ino)
        {
            int fd = Native.Sys.Open("/proc/self/ns/net", Native.Sys.O_RDONLY);
            try { return Namespaces.NamespaceThread.Run(fd, LaunchHere); }
            finally { Native.Sys.Close(fd); }
        }
        return LaunchHere();
    }

    private static string LaunchHere()
    {
        var (file, args, kind) = Command();
        Directory.CreateDirectory(AgentPaths.Dir);
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            // Redirected, so .NET leaves the caller's terminal settings alone; sh replaces all three at once.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Detach);
        psi.ArgumentList.Add("vnet-agent");
        psi.ArgumentList.Add(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["VNET_AGENT_LOG"] = AgentPaths.Log;
        // The agent waits on sockets and an etcd watch, not on work queues: without the thread
        // pool's spin before it sleeps, an idle agent wakes about ten times less (bench/README.md,
        // overlay). Read by the runtime at start, so it must be in the agent's environment.
        psi.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        string module = Path.Combine(CoreDir, "VNet.PowerShell.dll");
        psi.Environment["VNET_AGENT_MODULE"] = module;
        psi.Environment["VNET_AGENT_CORE"] = Path.Combine(CoreDir, "VNet.Core.dll");
        // The agent serves the store of the caller's roots; pin them even when they are the defaults.
        psi.Environment[StateRoots.RunEnv] = StateRoots.Run;
        psi.Environment[StateRoots.StateEnv] = StateRoots.State;
        psi.Environment[StateRoots.ConfigEnv] = StateRoots.Config;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        // setsid -f forks and returns at once; the agent itself is not our child.
        p.WaitForExit(5000);
        return $"{kind} ({file})";
    }

    private static string? FindDotnet()
    {
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileName(self) == "dotnet") return self;
        // The dotnet CLI tells the processes it starts (the test host) where it is.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return OnPath("dotnet");
    }

    private static string? FindPwsh()
    {
        string? self = Environment.ProcessPath;
        if (self != null && Path.GetFileName(self) == "pwsh") return self;
        if (Environment.GetEnvironmentVariable("VNET_PWSH") is { Length: > 0 } p && File.Exists(p)) return p;
        return OnPath("pwsh");
    }

    private static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string f = Path.Combine(dir, name);
            if (File.Exists(f)) return f;
        }
        return null;
    }
}
