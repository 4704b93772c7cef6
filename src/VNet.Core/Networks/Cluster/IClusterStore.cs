namespace VNet.Core.Networks.Cluster;

/// <summary>A host as the cluster store knows it: kept under the agent's etcd lease, so it vanishes when the host dies.</summary>
public sealed class HostRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The underlay address VXLAN packets for this host's endpoints go to.</summary>
    public string Underlay { get; set; } = "";
    /// <summary>The MAC of the host's VXLAN devices, derived from <see cref="Id"/> so a restart keeps it.</summary>
    public string VtepMac { get; set; } = "";
    public override string ToString() => $"{Name} ({Underlay})";
}

/// <summary>Everything the overlay agent needs, read at one store revision.</summary>
public sealed class ClusterSnapshot
{
    public long Revision { get; init; }
    /// <summary>Live hosts only (their lease has not expired).</summary>
    public IReadOnlyList<HostRecord> Hosts { get; init; } = Array.Empty<HostRecord>();
    /// <summary>Overlay networks.</summary>
    public IReadOnlyList<ContainerNetwork> Networks { get; init; } = Array.Empty<ContainerNetwork>();
    /// <summary>Endpoints of every overlay network, of every host (each names its host in <see cref="ContainerEndpoint.Host"/>).</summary>
    public IReadOnlyList<ContainerEndpoint> Endpoints { get; init; } = Array.Empty<ContainerEndpoint>();
}

/// <summary>This host's registration: kept alive by the store client until disposed (which revokes it) or the process dies (the TTL expires it).</summary>
public interface IHostRegistration : IDisposable
{
    long LeaseId { get; }
    /// <summary>False once keep-alives failed for longer than the TTL (the host must register again).</summary>
    bool Alive { get; }
}

/// <summary>
/// The cluster store of overlay networks (etcd): the network store every host shares, plus what
/// the agent needs to follow it. See docs/overlay.md for the keys.
/// </summary>
public interface IClusterStore : INetworkStore, IDisposable
{
    StoreSettings Settings { get; }
    StoreSettings? INetworkStore.ClusterSettings => Settings;
    string? INetworkStore.LocalHostId => Settings.HostId;
    /// <summary>One consistent read of hosts, overlay networks and endpoints.</summary>
    ClusterSnapshot Snapshot();
    /// <summary>
    /// Calls <paramref name="onChange"/> with the new revision after every change under the store's
    /// prefix after <paramref name="afterRevision"/>, and <paramref name="onBroken"/> once when the
    /// watch ends for good (compacted, store unreachable): the caller takes a fresh snapshot and
    /// watches again. Dispose stops it. Callbacks come on a thread of the store client.
    /// </summary>
    IDisposable Watch(long afterRevision, Action<long> onChange, Action<Exception> onBroken);
    /// <summary>Puts this host's record under a new lease with <paramref name="ttl"/> and keeps it alive.</summary>
    IHostRegistration RegisterHost(HostRecord host, TimeSpan ttl);
}
