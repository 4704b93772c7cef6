namespace VNet.Core.Links;

/// <summary>A network interface as `ip -d link` shows it, named like `ip -j` output where sensible.</summary>
public sealed class NetLink
{
    public string Name { get; init; } = "";
    public int Index { get; init; }
    /// <summary>The namespace as the caller named it; null or empty for the caller's own.</summary>
    public string? Namespace { get; init; }
    /// <summary>veth, bridge, vxlan, macvlan, loopback, or device for hardware without a kind.</summary>
    public string Kind { get; init; } = "";
    /// <summary>UP, DOWN, LOWERLAYERDOWN, UNKNOWN... (the kernel's operational state).</summary>
    public string State { get; init; } = "";
    /// <summary>Administratively up (IFF_UP), whatever the carrier.</summary>
    public bool AdminUp { get; init; }
    public int Mtu { get; init; }
    public int? MinMtu { get; init; }
    public int? MaxMtu { get; init; }
    public string? MacAddress { get; init; }
    public string? Master { get; internal set; }
    public int? MasterIndex { get; init; }
    /// <summary>For a port: the kind of its master (bridge).</summary>
    public string? MasterKind { get; internal set; }
    /// <summary>For a veth or vxlan: the ifindex of the peer or underlay device (IFLA_LINK).</summary>
    public int? LinkIndex { get; init; }
    /// <summary>The peer's namespace id as this namespace knows it (IFLA_LINK_NETNSID), when it is elsewhere.</summary>
    public int? LinkNetnsId { get; init; }
    public string[] Flags { get; init; } = Array.Empty<string>();
    public string? Alias { get; init; }

    /// <summary>The peer's (or lower device's) name when it is in this same namespace.</summary>
    public string? LinkName { get; internal set; }

    /// <summary>
    /// `veth1@if5` (peer elsewhere) or `veth1@veth2` (peer here), the way `ip link` prints them. A
    /// peer in another namespace may have this end's own index there (both ends are often index 2
    /// in fresh namespaces): only a link pointing at itself in this namespace has no `@`.
    /// </summary>
    public string DisplayName => LinkIndex is int i && i != 0 && (i != Index || LinkNetnsId != null)
        ? $"{Name}@{(LinkNetnsId == null && LinkName != null ? LinkName : "if" + i)}"
        : Name;

    public override string ToString() => Name;

    internal uint RawFlags { get; init; }
    /// <summary>Bridge-port state (forwarding, learning, ...) when this link is a bridge port.</summary>
    public string? PortState { get; init; }
}
