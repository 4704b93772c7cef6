namespace VNet.Core.Networks;

/// <summary>
/// Where VNet keeps what the kernel does not hold. Definitions that must survive a reboot live
/// under /var/lib/vnet; leases and runtime state under /run/vnet (a tmpfs: they die with the kernel
/// objects they describe); host settings under /etc/vnet. Each root moves with an environment
/// variable, so tests, demos and benchmarks keep their state inside their sandbox.
/// </summary>
public static class StateRoots
{
    public const string StateEnv = "VNET_STATE_DIR";
    public const string RunEnv = "VNET_RUN_DIR";
    public const string ConfigEnv = "VNET_CONFIG_DIR";

    /// <summary>Persistent state (network definitions): $VNET_STATE_DIR or /var/lib/vnet.</summary>
    public static string State => Env(StateEnv, "/var/lib/vnet");
    /// <summary>Per-boot state (leases, endpoints, locks, the agent's pidfile): $VNET_RUN_DIR or /run/vnet.</summary>
    public static string Run => Env(RunEnv, "/run/vnet");
    /// <summary>Host settings (default address pools, later the etcd store): $VNET_CONFIG_DIR or /etc/vnet.</summary>
    public static string Config => Env(ConfigEnv, "/etc/vnet");

    private static string Env(string name, string fallback)
    {
        string? v = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(v) ? fallback : v;
    }
}
