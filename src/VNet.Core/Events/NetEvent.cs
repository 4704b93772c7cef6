namespace VNet.Core.Events;

/// <summary>One change the kernel announced (what `ip monitor` prints as one line), tagged with its namespace.</summary>
public sealed class NetEvent
{
    public DateTime Time { get; init; }
    /// <summary>The namespace as the watch was asked for it; null for the caller's own.</summary>
    public string? Namespace { get; init; }
    /// <summary>Link, Address, Route, Neighbour or Fdb; Lost when the kernel dropped events (the reader fell behind).</summary>
    public string Kind { get; init; } = "";
    /// <summary>Added, Changed or Removed.</summary>
    public string Action { get; init; } = "";
    public string? InterfaceName { get; init; }
    public int? InterfaceIndex { get; init; }
    /// <summary>Link: its kind. Address: IPv4/IPv6. Route: IPv4/IPv6. Neighbour, Fdb: the state.</summary>
    public string? Type { get; init; }
    /// <summary>Address: the CIDR. Route: the destination. Neighbour: the IP address. Fdb: the MAC address.</summary>
    public string? Address { get; init; }
    /// <summary>Route: the gateway. Neighbour: the MAC address. Fdb: the remote VTEP.</summary>
    public string? Via { get; init; }
    /// <summary>Link: the operational state (UP, DOWN...). Neighbour and Fdb: the entry's state.</summary>
    public string? State { get; init; }
    /// <summary>The event as `ip monitor` would describe it.</summary>
    public string Text { get; init; } = "";
    public override string ToString() => Text;
}
