namespace VNet.Core.Networks.Drivers;

/// <summary>
/// What differs between network kinds (Docker's network drivers). The network operations call
/// these in order and keep the undo list; a driver only makes and removes its kernel objects,
/// through the kernel-object services of the context.
/// </summary>
internal interface INetworkDriver
{
    /// <summary>Checks that need the kernel (a parent link, its MTU) and fills the driver's defaults (the MTU), before anything is made.</summary>
    void Prepare(ContainerNetwork net, NetworkSpec spec);
    /// <summary>Makes the network's own objects (bridge, gateway address, masquerade, isolation), registering their undo; what the rules below said goes into <paramref name="diagnostics"/>.</summary>
    void Create(ContainerNetwork net, UndoList undo, Diagnostics diagnostics);
    /// <summary>The cheap repair at the start of a Connect: re-creates what a reboot took; returns what it did, or null.</summary>
    string? Ensure(ContainerNetwork net, INetworkStore store, Diagnostics diagnostics);
    /// <summary>Removes the network's own objects; quiet about what is already gone.</summary>
    void Delete(ContainerNetwork net);
    /// <summary>Makes the endpoint's interface inside its namespace with addresses and routes; fills in its MAC.</summary>
    void Attach(ContainerNetwork net, ContainerEndpoint ep, UndoList undo);
    /// <summary>Removes the endpoint's interfaces; quiet about what is already gone.</summary>
    void Detach(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive);
    /// <summary>Whether the endpoint's interface still exists (Repair asks).</summary>
    bool InterfaceExists(ContainerNetwork net, ContainerEndpoint ep, bool namespaceAlive);
    /// <summary>The name the endpoint's host-side interface gets (null when it has none).</summary>
    string? HostInterfaceName(string endpointId);
}
