namespace VNet.Core.Networks.Agent;

/// <summary>
/// Where the agent's files live: all under {run root}/agent (/run/vnet/agent by default, moved with
/// $VNET_RUN_DIR), a tmpfs that dies with the kernel state it describes.
/// <code>
/// agent.lock     flock held by the running agent for its whole life (one agent per host)
/// agent.pid      its process id
/// agent.sock     its control socket (unix stream; one request line, one reply line)
/// launch.lock    flock a caller holds while it starts an agent, so two callers start one
/// agent.log      the agent's stdout and stderr (it holds nothing of its caller's)
/// </code>
/// </summary>
public static class AgentPaths
{
    public static string Dir => Path.Combine(StateRoots.Run, "agent");
    public static string Lock => Path.Combine(Dir, "agent.lock");
    public static string Pid => Path.Combine(Dir, "agent.pid");
    public static string Socket => Path.Combine(Dir, "agent.sock");
    public static string LaunchLock => Path.Combine(Dir, "launch.lock");
    public static string Log => Path.Combine(Dir, "agent.log");
}
