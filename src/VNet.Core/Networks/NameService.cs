using VNet.Core.Networks.Agent;
using VNet.Core.Networks.Dns;

namespace VNet.Core.Networks;

/// <summary>
/// The seam between the network operations (Connect, Disconnect, Remove) and name resolution (the
/// per-host agent that answers DNS inside member namespaces). The network layer calls these at the
/// points below; the name service decides what that means (resolv.conf, the DNS redirect inside the
/// namespace, starting the agent and asking it to serve the namespace).
/// The agent reads the names from the store itself (re-reading it whenever its version changes,
/// checked per query), so these calls only make sure the namespace asks the agent and the agent
/// listens there; a name stops resolving the moment its endpoint record is deleted. Names of overlay
/// networks come from the agent's latest snapshot of the cluster store instead (every host's
/// members), refreshed by its watch and, for this host's own Connects and Disconnects, at once by
/// the overlay-sync request sent here.
/// </summary>
public static class NameService
{
    /// <summary>
    /// After an endpoint was saved as Active. Returns once the endpoint's names resolve inside every
    /// member namespace of the network and the endpoint's namespace resolves its neighbours.
    /// </summary>
    public static void EndpointConnected(NetContext ctx, INetworkStore store, ContainerNetwork network, ContainerEndpoint endpoint)
    {
        if (endpoint.NamespaceInode == 0 || string.IsNullOrEmpty(endpoint.NamespacePath))
            throw new ArgumentException("An endpoint needs its NamespacePath and NamespaceInode before its names can be served.", nameof(endpoint));
        NamespaceDnsSetup.Apply(ctx, endpoint);
        AgentClient.EnsureServing(endpoint.NamespaceInode, endpoint.NamespacePath!, endpoint.Namespace ?? endpoint.NamespacePath!);
        // An overlay endpoint: the agent programs this host's vxlan device (made by this Connect)
        // with every remote endpoint, and reads the new names, before Connect returns. A failure
        // is not Connect's: the agent retries on its own.
        if (network.Driver == "overlay") AgentClient.OverlaySync();
    }

    /// <summary>After an endpoint's record was deleted. Returns once its names no longer resolve.</summary>
    public static void EndpointDisconnected(NetContext ctx, INetworkStore store, ContainerNetwork network, ContainerEndpoint endpoint)
    {
        // Its names are gone already: the record's deletion changed the store's version, and the
        // agent re-reads the store on the next query. What is left is the namespace's own set-up,
        // undone once the namespace is in no network at all.
        if (network.Driver == "overlay") AgentClient.OverlaySync();
        if (StillMember(store, endpoint)) return;
        NamespaceDnsSetup.Remove(ctx, endpoint);
        // The agent closes its listener now: a socket in a namespace keeps that namespace alive.
        AgentClient.Release(endpoint.NamespaceInode);
    }

    /// <summary>After a network and all its endpoints were removed.</summary>
    public static void NetworkRemoved(NetContext ctx, INetworkStore store, ContainerNetwork network) => AgentClient.Sync();

    private static bool StillMember(INetworkStore store, ContainerEndpoint gone)
    {
        // Another host's overlay endpoint may carry the same inode number: it is another namespace.
        string? me = store.LocalHostId;
        return store.ListNetworks().Any(n => store.ListEndpoints(n.Name).Any(e =>
            e.Id != gone.Id && e.NamespaceInode == gone.NamespaceInode && e.State == EndpointState.Active && !NetworkService.OnOtherHost(e, me)));
    }
}
