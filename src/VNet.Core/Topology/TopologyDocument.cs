namespace VNet.Core.Topology;

/// <summary>
/// The wiring of a host as a document (Export-NetTopology writes it, Import-NetTopology applies it).
/// Every list is sorted by namespace, then name, and empty or default values are left out, so two
/// exports of the same wiring are byte-identical and a change shows as a small diff. The schema is
/// described in the README ("Topology files"). A namespace left out (null) is the one the export
/// or import runs in (the host's).
/// </summary>
public sealed class TopologyDocument
{
    public const int CurrentVersion = 1;

    /// <summary>The schema version; an importer refuses versions it does not know.</summary>
    public int Version { get; set; } = CurrentVersion;
    public List<TopologyNamespace> Namespaces { get; set; } = new();
    public List<TopologyBridge> Bridges { get; set; } = new();
    public List<TopologyVeth> Veths { get; set; } = new();
    public List<TopologyVxlan> Vxlans { get; set; } = new();
    public List<TopologyAddress> Addresses { get; set; } = new();
    public List<TopologyRoute> Routes { get; set; } = new();
    public List<TopologyNat> Nat { get; set; } = new();

    /// <summary>
    /// Extension point for container networks (the Networks layer): sections that layer adds are
    /// kept here by name, exported by an <see cref="ITopologySection"/> and applied after NAT. An
    /// importer without that layer refuses a document that has them rather than ignore them.
    /// </summary>
    public Dictionary<string, object>? Extensions { get; set; }
}

/// <summary>A named namespace (/run/netns) the document needs.</summary>
public sealed class TopologyNamespace
{
    public string Name { get; set; } = "";
    /// <summary>net.ipv4.ip_forward in it; left out when off.</summary>
    public bool? Ipv4Forwarding { get; set; }
    public bool? Ipv6Forwarding { get; set; }
}

/// <summary>A Linux bridge and the interfaces plugged into it.</summary>
public sealed class TopologyBridge
{
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    /// <summary>Left out when 1500.</summary>
    public int? Mtu { get; set; }
    /// <summary>Left out when the bridge is up.</summary>
    public bool? Down { get; set; }
    /// <summary>VNet isolation (Set-NetBridge -Isolated); left out when not isolated.</summary>
    public bool? Isolated { get; set; }
    /// <summary>Ports by interface name (veth ends, tunnels, devices), sorted.</summary>
    public List<string>? Ports { get; set; }
}

/// <summary>A veth cable, both ends.</summary>
public sealed class TopologyVeth
{
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    public string PeerName { get; set; } = "";
    public string? PeerNamespace { get; set; }
    public int? Mtu { get; set; }
    public bool? Down { get; set; }
    public bool? PeerDown { get; set; }
}

/// <summary>A VXLAN tunnel device and the remote VTEPs it floods to.</summary>
public sealed class TopologyVxlan
{
    public string Name { get; set; } = "";
    public string? Namespace { get; set; }
    public int Vni { get; set; }
    public string? Local { get; set; }
    public string? Remote { get; set; }
    public string? Group { get; set; }
    /// <summary>The underlay device (not described by the document; it must exist).</summary>
    public string? Device { get; set; }
    /// <summary>Left out when 4789.</summary>
    public int? Port { get; set; }
    /// <summary>Left out when learning is on.</summary>
    public bool? NoLearning { get; set; }
    public int? Mtu { get; set; }
    public bool? Down { get; set; }
    /// <summary>Head-end replication peers besides Remote (Add-VxlanPeer), sorted.</summary>
    public List<string>? Peers { get; set; }
}

/// <summary>An address on an interface the document describes.</summary>
public sealed class TopologyAddress
{
    public string? Namespace { get; set; }
    public string Interface { get; set; } = "";
    /// <summary>CIDR form, such as 198.51.100.11/24.</summary>
    public string Address { get; set; } = "";
}

/// <summary>A route that someone added (routes the kernel makes for addresses are not listed).</summary>
public sealed class TopologyRoute
{
    public string? Namespace { get; set; }
    /// <summary>"default" or a CIDR.</summary>
    public string Destination { get; set; } = "";
    public string? Gateway { get; set; }
    public string? Interface { get; set; }
    public int? Metric { get; set; }
}

/// <summary>A NAT rule or port publish (Add-NatRule), without its counters.</summary>
public sealed class TopologyNat
{
    public string? Namespace { get; set; }
    /// <summary>Masquerade, Snat or Publish.</summary>
    public string Kind { get; set; } = "";
    public string? Source { get; set; }
    public string? OutInterface { get; set; }
    public string? ToAddress { get; set; }
    public string? Protocol { get; set; }
    public string? PublishPort { get; set; }
    public string? ToPort { get; set; }
    public string? HostAddress { get; set; }
}
