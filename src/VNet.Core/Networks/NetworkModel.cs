namespace VNet.Core.Networks;

/// <summary>One subnet of a network with its gateway, the range dynamic addresses come from, and addresses never handed out.</summary>
public sealed class NetworkSubnet
{
    /// <summary>The subnet in CIDR form, e.g. 198.51.100.0/24 or 2001:db8:1::/64.</summary>
    public string Subnet { get; set; } = "";
    public string? Gateway { get; set; }
    /// <summary>Dynamic addresses only from here when set (a CIDR inside Subnet).</summary>
    public string? IPRange { get; set; }
    /// <summary>Addresses reserved by name (Docker's --aux-address): never handed out.</summary>
    public Dictionary<string, string> AuxAddresses { get; set; } = new(StringComparer.Ordinal);
    public override string ToString() => Subnet;
}

/// <summary>
/// A container network as users see it (`docker network inspect`): its definition, persisted under
/// the state root, plus the number of endpoints when it was read.
/// </summary>
public sealed class ContainerNetwork
{
    public string Name { get; set; } = "";
    /// <summary>64 hex digits, random; the first 12 are what tables show (as Docker's).</summary>
    public string Id { get; set; } = "";
    /// <summary>bridge, macvlan, none, overlay.</summary>
    public string Driver { get; set; } = "bridge";
    /// <summary>local for networks kept on this host; global for overlay networks, kept in the cluster store.</summary>
    public string Scope { get; set; } = "local";
    public List<NetworkSubnet> Subnets { get; set; } = new();
    public int Mtu { get; set; }
    public bool Internal { get; set; }
    /// <summary>The parent link of a macvlan network.</summary>
    public string? Parent { get; set; }
    /// <summary>The Linux bridge of a bridge network (br-ID12 unless named).</summary>
    public string? BridgeName { get; set; }
    public DateTime Created { get; set; }
    /// <summary>Driver-specific settings (kept for forward compatibility; unknown keys are preserved).</summary>
    public Dictionary<string, string> Options { get; set; } = new(StringComparer.Ordinal);
    /// <summary>How many endpoints the network had when it was read (not persisted in the definition).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EndpointCount { get; set; }
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
    public override string ToString() => Name;
}

/// <summary>
/// A namespace's membership of a network (Docker's endpoint): the interface inside, its host-side
/// peer, its addresses and the names it answers to. Written as Pending before any kernel object is
/// made and marked Active when all of them exist, so a crash in between is visible to Repair.
/// </summary>
public sealed class ContainerEndpoint
{
    public string Id { get; set; } = "";
    public string Network { get; set; } = "";
    public string NetworkId { get; set; } = "";
    /// <summary>Pending while Connect is making it; Active once complete.</summary>
    public string State { get; set; } = EndpointState.Pending;
    /// <summary>The namespace as the user named it (a /run/netns name, or a path).</summary>
    public string? Namespace { get; set; }
    /// <summary>A path that opens the namespace while it lives (/run/netns/NAME, /proc/PID/ns/net, Docker's file).</summary>
    public string? NamespacePath { get; set; }
    /// <summary>The kernel's identity of the namespace: how VNet tells a namespace still alive from one reused by name.</summary>
    public ulong NamespaceInode { get; set; }
    public string? Container { get; set; }
    public string? ContainerId { get; set; }
    public int? ProcessId { get; set; }
    /// <summary>The interface inside the namespace (eth0 unless asked otherwise).</summary>
    public string InterfaceName { get; set; } = "eth0";
    /// <summary>The id of the host the endpoint lives on (overlay networks, whose endpoints every host sees); null on local networks.</summary>
    public string? Host { get; set; }
    /// <summary>The name of that host as its store setting gives it (Set-VNetStore -HostName), for people; null on local networks.</summary>
    public string? HostName { get; set; }
    /// <summary>The host-side end (bridge driver) in the host namespace.</summary>
    public string? HostInterface { get; set; }
    public string? MacAddress { get; set; }
    /// <summary>Addresses in CIDR form with the subnet's prefix, e.g. 198.51.100.2/24.</summary>
    public List<string> Addresses { get; set; } = new();
    /// <summary>What the endpoint answers to by DNS: its primary name first (the namespace's or container's name), then aliases.</summary>
    public List<string> Names { get; set; } = new();
    /// <summary>Ids of the NAT rules (publishes) made for this endpoint, removed with it.</summary>
    public List<string> NatRules { get; set; } = new();
    /// <summary>The process that wrote a Pending record: Repair rolls it back only when that process is gone.</summary>
    public int OwnerProcessId { get; set; }
    public DateTime Created { get; set; }
    public override string ToString() => $"{Network}:{Names.FirstOrDefault() ?? Namespace}";
}

public static class EndpointState
{
    public const string Pending = "Pending";
    public const string Active = "Active";
}
