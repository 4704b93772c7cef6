using VNet.Core.Filter;
using VNet.Core.Namespaces;
using VNet.Core.Native;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// What a member namespace needs so that every process in it asks VNet's resolver:
/// <list type="bullet">
/// <item>/etc/netns/NAME/resolv.conf naming 127.0.0.11, which `ip netns exec` bind-mounts over
/// /etc/resolv.conf (named namespaces only: iproute2 knows no other);</item>
/// <item>an nftables table of VNet's own in the namespace (vnet_dns) that sends every DNS query
/// leaving it to 127.0.0.11:53, because a process entered with nsenter, setns or
/// Invoke-NetNamespace reads the host's /etc/resolv.conf and would ask the host's resolvers,
/// which know nothing of the network's names (Docker redirects 127.0.0.11 inside a container's
/// namespace the same way). Conntrack rewrites the replies back, so they need no rule.</item>
/// </list>
/// The nft script is constant: no name or other user text is spliced into it.
/// </summary>
public static class NamespaceDnsSetup
{
    public const string Table = "vnet_dns";
    public const string NetnsEtc = "/etc/netns";
    internal const string Marker = "# Written by VNet:";

    // One transaction: create-if-missing, delete, create again, so a re-run replaces the table whole.
    // IPv6 resolvers (a host whose resolv.conf names one) go to the resolver's [::1]:53 twin.
    private const string Script =
        "table ip vnet_dns {}\n" +
        "delete table ip vnet_dns\n" +
        "table ip vnet_dns {\n" +
        "  chain output {\n" +
        "    type nat hook output priority -100; policy accept;\n" +
        "    ip daddr != 127.0.0.11 udp dport 53 dnat to 127.0.0.11:53\n" +
        "    ip daddr != 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:53\n" +
        "  }\n" +
        "}\n" +
        "table ip6 vnet_dns {}\n" +
        "delete table ip6 vnet_dns\n" +
        "table ip6 vnet_dns {\n" +
        "  chain output {\n" +
        "    type nat hook output priority -100; policy accept;\n" +
        "    ip6 daddr != ::1 udp dport 53 dnat to [::1]:53\n" +
        "    ip6 daddr != ::1 tcp dport 53 dnat to [::1]:53\n" +
        "  }\n" +
        "}\n";

    private const string RemoveScript = "table ip vnet_dns {}\ndelete table ip vnet_dns\ntable ip6 vnet_dns {}\ndelete table ip6 vnet_dns\n";

    private const string ResolvConf =
        Marker + " this namespace is a member of VNet container networks; their names and every other\n" +
        "# name are answered by the VNet agent's resolver on 127.0.0.11 inside the namespace.\n" +
        "nameserver 127.0.0.11\n" +
        "options ndots:0\n";

    /// <summary>The /run/netns name of an endpoint's namespace, or null for one opened by another path.</summary>
    public static string? NamedNamespace(ContainerEndpoint e)
    {
        string dir = NamespaceService.DefaultNetnsDir.TrimEnd('/') + "/";
        if (e.NamespacePath != null && e.NamespacePath.StartsWith(dir, StringComparison.Ordinal))
        {
            string name = e.NamespacePath[dir.Length..];
            return name.Length > 0 && !name.Contains('/') && !name.StartsWith('.') ? name : null;
        }
        if (e.NamespacePath == null && !string.IsNullOrEmpty(e.Namespace) && !e.Namespace.Contains('/') && !e.Namespace.StartsWith('.'))
            return e.Namespace;
        return null;
    }

    /// <summary>The namespace as the caller's context knows it (what the user named, so Connect's handle is reused), else its path.</summary>
    private static string? Target(ContainerEndpoint e) => e.Namespace ?? e.NamespacePath;

    /// <summary>Writes resolv.conf (named namespaces) and the redirect table; both idempotent.</summary>
    public static void Apply(NetContext ctx, ContainerEndpoint e)
    {
        if (NamedNamespace(e) is { } name)
        {
            string dir = Path.Combine(NetnsEtc, name);
            string file = Path.Combine(dir, "resolv.conf");
            // A resolv.conf the user put there is theirs: VNet replaces only its own (or none).
            // A file or a read-only mount in the way is the user's to clear: an error naming the
            // path (Connect rolls back on it), not an IOException out of the cmdlet.
            try
            {
                if (!File.Exists(file) || File.ReadAllText(file).StartsWith(Marker, StringComparison.Ordinal))
                    AtomicFile.Write(file, System.Text.Encoding.ASCII.GetBytes(ResolvConf), sync: false);
            }
            catch (Exception x) when (x is IOException or UnauthorizedAccessException)
            {
                throw Messages.Error("NameSetupFailed", VNetErrorCategory.InvalidOperation, file, file, name, x.Message);
            }
        }
        // The resolver answers on 127.0.0.11 inside the namespace: with lo down (a namespace fresh
        // from `ip netns add`) every query times out. Container runtimes bring lo up as well (CNI's
        // loopback plugin, Docker), so a member's lo being up is what users expect.
        ctx.Links.SetUp("lo", true, Target(e));
        Nftables.Run(ctx, Target(e), Script, doing: "redirect the namespace's DNS to VNet's resolver", target: e.Namespace);
    }

    /// <summary>Undoes <see cref="Apply"/> once a namespace is in no network any more; quiet when it is gone.</summary>
    public static void Remove(NetContext ctx, ContainerEndpoint e)
    {
        if (NamedNamespace(e) is { } name)
        {
            string dir = Path.Combine(NetnsEtc, name);
            string file = Path.Combine(dir, "resolv.conf");
            try
            {
                if (File.Exists(file) && File.ReadAllText(file).StartsWith(Marker, StringComparison.Ordinal)) File.Delete(file);
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
            }
            catch (IOException) { } // someone else's file appeared meanwhile: leave it
        }
        var path = Target(e);
        if (path == null) return;
        // Only the namespace the endpoint was in: a name reused by a new namespace is not ours to change.
        var st = Native.Sys.StatPath(e.NamespacePath ?? Path.Combine(NamespaceService.DefaultNetnsDir, path));
        if (!st.HasValue || (e.NamespaceInode != 0 && st.Value.Ino != e.NamespaceInode)) return;
        try { Nftables.Run(ctx, path, RemoveScript, doing: "remove VNet's DNS redirect", target: e.Namespace); }
        catch (VNetException) { } // gone meanwhile
    }
}
