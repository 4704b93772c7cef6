namespace VNet.Core.Networks;

/// <summary>What New-ContainerNetwork asks for (`docker network create`); null means "choose for me".</summary>
public sealed class NetworkSpec
{
    public string Name { get; set; } = "";
    /// <summary>bridge (default), macvlan, none or overlay.</summary>
    public string Driver { get; set; } = "bridge";
    /// <summary>At most one IPv4 and one IPv6 subnet; without an IPv4 one, a free one is picked from the default pools.</summary>
    public string[]? Subnet { get; set; }
    /// <summary>Gateways, matched to the subnet of their family; default: the subnet's first address.</summary>
    public string[]? Gateway { get; set; }
    /// <summary>Ranges dynamic addresses come from, matched to the subnet of their family.</summary>
    public string[]? IPRange { get; set; }
    /// <summary>Addresses never handed out, by name (Docker's --aux-address).</summary>
    public IDictionary<string, string>? AuxAddress { get; set; }
    public int? Mtu { get; set; }
    public bool Internal { get; set; }
    /// <summary>The parent link of a macvlan network.</summary>
    public string? Parent { get; set; }
    /// <summary>The Linux bridge's name; default br-ID12.</summary>
    public string? BridgeName { get; set; }
    /// <summary>An overlay network's VXLAN id (1-16777215); default the lowest free one from 4096 up, unique in the cluster store.</summary>
    public int? Vni { get; set; }
    /// <summary>Driver options kept in the definition's Options (Docker's --opt); keys starting with "vnet." are VNet's own.</summary>
    public IDictionary<string, string>? Options { get; set; }
}

/// <summary>What Connect-ContainerNetwork asks for (`docker network connect`).</summary>
public sealed class ConnectSpec
{
    public string Network { get; set; } = "";
    public EndpointTarget Target { get; set; } = new();
    /// <summary>Static addresses (at most one per family), anywhere in the subnet if free.</summary>
    public string[]? IPAddress { get; set; }
    public string[]? Alias { get; set; }
    /// <summary>The interface inside the namespace; default eth0 (eth1, ... when taken).</summary>
    public string? InterfaceName { get; set; }
    public string? MacAddress { get; set; }
    /// <summary>A host port or range to publish to the endpoint (`docker run -p`).</summary>
    public string? PublishPort { get; set; }
    public string? ToPort { get; set; }
    public string Protocol { get; set; } = "tcp";
}

/// <summary>Which namespace an operation is about: exactly one of the three.</summary>
public sealed class EndpointTarget
{
    /// <summary>A /run/netns name or a path that opens a namespace.</summary>
    public string? Namespace { get; set; }
    /// <summary>A running Docker container's name or id.</summary>
    public string? Container { get; set; }
    public int? ProcessId { get; set; }

    public override string ToString() =>
        Container != null ? $"container '{Container}'" : ProcessId is int p ? $"process {p}" : $"namespace '{Namespace}'";
}
