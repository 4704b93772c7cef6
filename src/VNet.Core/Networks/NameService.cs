namespace VNet.Core.Networks;

/// <summary>
/// The seam between the network operations (Connect, Disconnect, Remove) and name resolution (the
/// per-host agent that answers DNS inside member namespaces). The network layer calls these at the
/// points below; the name service decides what that means (resolv.conf, the DNS redirect inside the
/// namespace, starting the agent and asking it to serve the namespace).
/// </summary>
public static class NameService
{
    /// <summary>
    /// After an endpoint was saved as Active. Returns once the endpoint's names resolve inside every
    /// member namespace of the network and the endpoint's namespace resolves its neighbours.
    /// </summary>
    public static void EndpointConnected(NetContext ctx, INetworkStore store, ContainerNetwork network, ContainerEndpoint endpoint) { }

    /// <summary>After an endpoint's record was deleted. Returns once its names no longer resolve.</summary>
    public static void EndpointDisconnected(NetContext ctx, INetworkStore store, ContainerNetwork network, ContainerEndpoint endpoint) { }

    /// <summary>After a network and all its endpoints were removed.</summary>
    public static void NetworkRemoved(NetContext ctx, INetworkStore store, ContainerNetwork network) { }
}
