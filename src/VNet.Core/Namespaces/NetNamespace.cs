namespace VNet.Core.Namespaces;

/// <summary>Where VNet found a namespace. A namespace can be found in several places at once.</summary>
[Flags]
public enum NamespaceSource
{
    None = 0,
    /// <summary>Named under /run/netns (iproute2's convention; `ip netns list` shows it).</summary>
    Named = 1,
    /// <summary>Under Docker's /run/docker/netns, invisible to `ip netns list`.</summary>
    Docker = 2,
    /// <summary>Some process lives in it (/proc/PID/ns/net).</summary>
    Process = 4,
}

/// <summary>The values of <see cref="NetNamespace.State"/>.</summary>
public static class NamespaceStates
{
    public const string Ready = "Ready";
    public const string Stale = "Stale";
}

/// <summary>What Remove-NetNamespace did: whether a name was removed, and what still keeps the namespace alive.</summary>
public sealed class NamespaceRemoval
{
    public bool Removed { get; init; }
    /// <summary>Processes living in it: it and its interfaces stay until they end.</summary>
    public NetProcess[] KeptByProcesses { get; init; } = Array.Empty<NetProcess>();
    /// <summary>Other names or bind mounts of it that keep it (and its interfaces) alive.</summary>
    public string[] KeptByMounts { get; init; } = Array.Empty<string>();
    public bool KeptAlive => KeptByProcesses.Length > 0 || KeptByMounts.Length > 0;
}

/// <summary>A process living in a namespace.</summary>
public sealed record NetProcess(int ProcessId, string Command);

/// <summary>A network namespace as users see it: its names, where it was found, who lives in it.</summary>
public sealed class NetNamespace
{
    /// <summary>The /run/netns name, when it has one.</summary>
    public string? Name { get; init; }
    /// <summary>A path that opens it: /run/netns/NAME, Docker's file, or /proc/PID/ns/net.</summary>
    public string Path { get; init; } = "";
    /// <summary>The kernel's identity for the namespace (as in `net:[4026532281]`).</summary>
    public ulong Inode { get; init; }
    public string Source { get; init; } = "";
    /// <summary>Docker's namespace file, when Docker made it.</summary>
    public string? DockerPath { get; init; }
    public int[] ProcessIds { get; init; } = Array.Empty<int>();
    public NetProcess[] Processes { get; init; } = Array.Empty<NetProcess>();
    /// <summary>The Docker container living in this namespace, when Docker answers (name, short ID, image).</summary>
    public string? ContainerName { get; init; }
    public string? ContainerId { get; init; }
    public string? ContainerImage { get; init; }
    /// <summary>
    /// Ready, or Stale: a /run/netns name with no namespace mounted on it (what a kill between the
    /// file and its bind mount leaves, or `ip netns add` inside another mount namespace); Remove- or
    /// New-NetNamespace -Force clears it.
    /// </summary>
    public string State { get; init; } = NamespaceStates.Ready;
    /// <summary>True for the namespace the caller is in (the host's, outside any container).</summary>
    public bool IsCurrent { get; init; }
    /// <summary>The value to pass as -Namespace to reach this namespace: its name, else its path.</summary>
    public string Namespace => Name ?? Path;

    public override string ToString() => Name ?? Path;
}
