using System.Net;

namespace VNet.Core.Networks;

/// <summary>
/// Address management of one network, written against <see cref="INetworkStore"/> only (so the
/// same code serves the local store and, later, etcd). Never hands out the network, broadcast,
/// gateway or an aux address; dynamic addresses come only from the IP range when there is one, in
/// round robin after the last one handed out (as CNI host-local and Podman do: reusing a freed
/// address at once meets stale ARP and DNS caches). Each claim is atomic in the store.
/// </summary>
internal static class Ipam
{
    /// <summary>How far one search walks before giving up on a huge (IPv6) range.</summary>
    private const int MaxWalk = 1 << 22;

    /// <summary>What an address is to its subnet when it cannot be anyone's: "the network address", "the broadcast address", or null.</summary>
    public static string? Reserved(IPPrefix subnet, IPAddress a)
    {
        var (first, last) = SubnetMath.Bounds(subnet);
        var n = SubnetMath.ToNumber(a);
        if (n == first) return "the network address";
        if (!subnet.IsIPv6 && n == last) return "the broadcast address";
        return null;
    }

    /// <summary>What keeps an address of a network's subnet from being handed out, or null if nothing does.</summary>
    public static string? ReservedIn(NetworkSubnet sub, IPPrefix prefix, IPAddress a)
    {
        if (Reserved(prefix, a) is string r) return r;
        string text = a.ToString();
        if (sub.Gateway == text) return "the gateway";
        foreach (var (name, aux) in sub.AuxAddresses)
            if (aux == text) return $"the aux address '{name}'";
        return null;
    }

    /// <summary>Claims a static address: anywhere in the subnet, if no one holds it.</summary>
    public static void ClaimStatic(INetworkStore store, ContainerNetwork net, NetworkSubnet sub, IPAddress a, string endpointId)
    {
        var prefix = Validation.Cidr(sub.Subnet);
        if (ReservedIn(sub, prefix, a) is string what)
            throw Messages.Error("AddressReserved", VNetErrorCategory.InvalidArgument, a.ToString(), a, net.Name, what);
        if (!store.TryClaimAddress(net.Name, a, endpointId))
        {
            string holder = store.AddressHolder(net.Name, a) ?? "another endpoint";
            throw Messages.Error("AddressInUse", VNetErrorCategory.ResourceExists, a.ToString(), a, net.Name, DescribeHolder(store, net.Name, holder));
        }
    }

    /// <summary>"endpoint c1 (namespace c1, 3f2a…)" for an error naming who holds an address.</summary>
    public static string DescribeHolder(INetworkStore store, string network, string holderId)
    {
        var ep = store.GetEndpoint(network, holderId);
        if (ep == null) return $"endpoint {Short(holderId)}";
        string who = ep.Names.FirstOrDefault() ?? ep.Container ?? ep.Namespace ?? "?";
        return $"endpoint '{who}' ({(ep.Container != null ? "container " + ep.Container : "namespace " + ep.Namespace)}, {Short(holderId)})";
    }

    public static string Short(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary>
    /// Claims the next free address after the last one handed out, wrapping once around the range;
    /// null when every address is taken.
    /// </summary>
    public static IPAddress? ClaimDynamic(INetworkStore store, ContainerNetwork net, NetworkSubnet sub, string endpointId)
    {
        var prefix = Validation.Cidr(sub.Subnet);
        var range = sub.IPRange != null ? Validation.Cidr(sub.IPRange) : prefix;
        var family = prefix.Address.AddressFamily;
        var (first, last) = SubnetMath.Bounds(range);
        UInt128 size = last - first + 1;
        UInt128 start = first;
        if (store.LastAllocated(net.Name, family) is IPAddress prev)
        {
            var p = SubnetMath.ToNumber(prev);
            if (p >= first && p < last) start = p + 1;
        }
        UInt128 walk = size < MaxWalk ? size : MaxWalk;
        HashSet<IPAddress>? taken = null;
        int misses = 0;
        for (UInt128 i = 0; i < walk; i++)
        {
            UInt128 n = start + i;
            if (n > last) n = first + (n - last - 1);
            var a = SubnetMath.ToAddress(n, family);
            if (ReservedIn(sub, prefix, a) != null) continue;
            // After a few taken addresses in a row, read the leases once instead of trying each.
            if (taken != null && taken.Contains(a)) continue;
            if (store.TryClaimAddress(net.Name, a, endpointId))
            {
                store.SetLastAllocated(net.Name, a);
                return a;
            }
            if (++misses == 16) taken = new HashSet<IPAddress>(store.Leases(net.Name).Keys);
        }
        return null;
    }
}
