namespace VNet.Core.Networks.Agent;

/// <summary>What Get-VNetAgent shows: the agent's process, and what it serves.</summary>
public sealed class AgentStatus
{
    /// <summary>Running or Stopped.</summary>
    public string State { get; set; } = "Stopped";
    public int? ProcessId { get; set; }
    public DateTime? Started { get; set; }
    /// <summary>dotnet or pwsh: which runtime hosts the agent.</summary>
    public string? Host { get; set; }
    /// <summary>The networks with at least one member it serves.</summary>
    public List<string> Networks { get; set; } = new();
    public List<AgentNamespace> Namespaces { get; set; } = new();
    /// <summary>Where it forwards names that are not the networks'.</summary>
    public List<string> Upstream { get; set; } = new();
    public long Answered { get; set; }
    public long Forwarded { get; set; }
    public string RunDirectory { get; set; } = "";
    /// <summary>The overlay work (null when no cluster store is set on this host).</summary>
    public AgentOverlay? Overlay { get; set; }
    public override string ToString() => ProcessId is { } p ? $"{State} ({p})" : State;
}

/// <summary>One member namespace the agent answers in (or failed to).</summary>
public sealed class AgentNamespace
{
    public string Path { get; set; } = "";
    public ulong Inode { get; set; }
    public List<string> Networks { get; set; } = new();
    /// <summary>True when its listener on 127.0.0.11:53 is open.</summary>
    public bool Serving { get; set; }
    /// <summary>Why it is not served, when it is not.</summary>
    public string? Error { get; set; }
    public override string ToString() => Path;
}
