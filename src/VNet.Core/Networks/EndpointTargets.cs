using VNet.Core.Native;

namespace VNet.Core.Networks;

/// <summary>A namespace an endpoint is (to be) in, resolved: how to open it, its identity, and the name it answers to.</summary>
internal sealed record ResolvedTarget(string Display, string Path, ulong Inode, string? PrimaryName,
    string? Container, string? ContainerId, int? ProcessId);

public sealed partial class NetworkService
{
    /// <summary>Opens the namespace a user named (by /run/netns name or path, Docker container, or process id).</summary>
    internal ResolvedTarget Resolve(EndpointTarget t)
    {
        if (t.Container != null)
        {
            var c = Docker.DockerClient.Find(t.Container);
            var h = Ctx.Resolve(c.NamespacePath);
            return new ResolvedTarget(c.Name, c.NamespacePath, h.Inode, c.Name, c.Name, c.Id, null);
        }
        if (t.ProcessId is int pid)
        {
            string procPath = $"/proc/{pid}/ns/net";
            if (pid <= 0 || Sys.StatPath(procPath) == null)
                throw Messages.Error("ProcessNotFound", VNetErrorCategory.ObjectNotFound, pid, pid);
            var h = Ctx.Resolve(procPath);
            // A process in a named namespace answers to that name, and the name outlives the process.
            string? name = NamedAs(h.Inode);
            string path = name != null ? System.IO.Path.Combine(Ctx.Namespaces.NetnsDir, name) : procPath;
            return new ResolvedTarget(name ?? procPath, path, h.Inode, name, null, null, pid);
        }
        if (string.IsNullOrEmpty(t.Namespace))
            throw Messages.Error("EndpointTargetRequired", VNetErrorCategory.InvalidArgument, null);
        var nh = Ctx.Resolve(t.Namespace);
        string? primary = !t.Namespace.StartsWith('/') ? t.Namespace
            : System.IO.Path.GetDirectoryName(t.Namespace) == Ctx.Namespaces.NetnsDir ? System.IO.Path.GetFileName(t.Namespace) : NamedAs(nh.Inode);
        return new ResolvedTarget(t.Namespace, nh.Path, nh.Inode, primary, null, null, null);
    }

    /// <summary>The /run/netns name of a namespace, if it has one (a stat per name, no namespace opened).</summary>
    private string? NamedAs(ulong inode)
    {
        string dir = Ctx.Namespaces.NetnsDir;
        if (!Directory.Exists(dir)) return null;
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            var st = Sys.StatPath(f);
            if (st != null && st.Value.Ino == inode && st.Value.Dev == Namespaces.NamespaceService.NsfsDevice) return System.IO.Path.GetFileName(f);
        }
        return null;
    }

    /// <summary>Whether an endpoint's namespace still lives: its path still opens the same namespace (a stat, nothing opened).</summary>
    internal static bool NamespaceAlive(ContainerEndpoint ep)
    {
        if (ep.NamespacePath == null) return false;
        var st = Sys.StatPath(ep.NamespacePath);
        return st != null && st.Value.Ino == ep.NamespaceInode && st.Value.Dev == Namespaces.NamespaceService.NsfsDevice;
    }

    /// <summary>Whether a process lives (a zombie does not count: it holds no namespace and will not finish anything).</summary>
    internal static bool ProcessAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] != 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>
    /// An endpoint's id: derived from the network and the namespace's identity, so finding a
    /// namespace's endpoint (already connected? disconnect) is one file, not a scan of all of them.
    /// </summary>
    internal static string EndpointId(string networkId, ulong inode) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{networkId}/{inode}"))).ToLowerInvariant();

    /// <summary>
    /// The id of this host's endpoint of a namespace on a network. An overlay network's endpoints of
    /// every host share one key space, and namespace inodes repeat across hosts, so there the host id
    /// is part of it: another host's endpoint is never taken for this namespace's.
    /// </summary>
    internal string EndpointId(ContainerNetwork net, ulong inode) =>
        net.Scope == "global" && Store.LocalHostId is { Length: > 0 } host
            ? EndpointId($"{net.Id}/{host}", inode)
            : EndpointId(net.Id, inode);

    /// <summary>
    /// The endpoints of one network or all, optionally only those of one namespace (by identity, or,
    /// when the namespace is gone, by the name it was connected under).
    /// </summary>
    public IReadOnlyList<ContainerEndpoint> ListEndpoints(string? network = null, EndpointTarget? target = null)
    {
        var nets = network != null ? new[] { Get(network) } : Store.ListNetworks();
        var result = new List<ContainerEndpoint>();
        foreach (var net in nets)
        {
            if (target == null) { result.AddRange(Store.ListEndpoints(net.Name)); continue; }
            if (Find(net, target) is { } ep) result.Add(ep);
        }
        return result;
    }

    /// <summary>A namespace's endpoint on a network: by id when the namespace opens, else by the name it was connected under.</summary>
    internal ContainerEndpoint? Find(ContainerNetwork net, EndpointTarget target)
    {
        ResolvedTarget? r = null;
        try { r = Resolve(target); }
        catch (VNetException e) when (e.ErrorId is "NamespaceNotFound" or "NamespaceStale" or "ProcessNotFound" or "ContainerNotFound") { }
        if (r != null && Store.GetEndpoint(net.Name, EndpointId(net, r.Inode)) is { } ep) return ep;
        // The namespace is gone (or was re-created): match what the user named against the records
        // of this host (on an overlay network, a namespace of that name on another host is not this one).
        return Store.ListEndpoints(net.Name).FirstOrDefault(e => !OnOtherHost(e, Store.LocalHostId) && (
            (target.Namespace != null && (e.Namespace == target.Namespace || e.NamespacePath == target.Namespace)) ||
            (target.Container != null && (e.Container == target.Container.TrimStart('/') ||
                                          (e.ContainerId != null && target.Container.Length >= 4 && e.ContainerId.StartsWith(target.Container, StringComparison.Ordinal)))) ||
            (target.ProcessId is int pid && e.ProcessId == pid)));
    }
}
