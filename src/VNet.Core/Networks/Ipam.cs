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
    /// The next address after the last one handed out that is neither reserved, nor in
    /// <paramref name="taken"/>, nor leased; null when the range is full. Stores that answer a
    /// range read as cheaply as one key (etcd) read every lease once (<paramref name="leases"/>);
    /// the local store looks at each candidate's lease file and reads the whole folder only after
    /// 16 taken addresses in a row, so a Connect on a big network reads one or two files.
    /// </summary>
    public static IPAddress? NextFree(INetworkStore store, ContainerNetwork net, NetworkSubnet sub, HashSet<IPAddress> taken, ref IReadOnlyDictionary<IPAddress, string>? leases, int skip = 0)
    {
        IPAddress? firstFree = null;
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
        if (leases == null && store.PrefersBulkLeaseRead(net.Name)) leases = store.Leases(net.Name);
        UInt128 walk = size < MaxWalk ? size : MaxWalk;
        int misses = 0;
        for (UInt128 i = 0; i < walk; i++)
        {
            UInt128 n = start + i;
            if (n > last) n = first + (n - last - 1);
            var a = SubnetMath.ToAddress(n, family);
            if (ReservedIn(sub, prefix, a) != null) continue;
            if (taken.Contains(a)) continue;
            bool free;
            if (leases != null) free = !leases.ContainsKey(a);
            else
            {
                free = store.AddressHolder(net.Name, a) == null;
                if (!free)
                {
                    taken.Add(a);
                    if (++misses == 16) leases = store.Leases(net.Name);
                }
            }
            if (!free) continue;
            firstFree ??= a;
            if (skip-- <= 0) return a;
        }
        // Fewer free addresses than asked to skip: the first one.
        return firstFree;
    }

    /// <summary>How many times one reservation may lose a race before Connect gives up (each loss means another endpoint got an address, so the network is moving on).</summary>
    private const int MaxReserveTries = 64;

    /// <summary>
    /// Step 1 of every Connect, local or overlay: picks an address in each subnet (the static one
    /// asked for, else the next free one), lets <paramref name="beforeSave"/> complete the record
    /// from them, and reserves them and writes the endpoint Pending in one atomic store operation
    /// (<see cref="INetworkStore.TryReserve"/>: O_EXCL lease files locally, one transaction on
    /// etcd). A lost race (another host took an address after it was read) picks again with that
    /// address known taken. <paramref name="onExhausted"/> runs once when a range looks full (the
    /// caller releases leaked leases) before NetworkExhausted. Returns the races lost.
    /// </summary>
    public static int Reserve(INetworkStore store, ContainerNetwork net, ContainerEndpoint ep, IReadOnlyDictionary<NetworkSubnet, IPAddress> statics,
        Action? onExhausted = null, Action<ContainerEndpoint>? beforeSave = null)
    {
        var taken = new HashSet<IPAddress>();
        IReadOnlyDictionary<IPAddress, string>? leases = null;
        bool repaired = onExhausted == null;
        int lost = 0;
        while (true)
        {
            var addresses = new List<IPAddress>();
            var dynamic = new List<IPAddress>();
            ep.Addresses.Clear();
            bool full = false;
            foreach (var sub in net.Subnets)
            {
                var prefix = Validation.Cidr(sub.Subnet);
                IPAddress? a;
                if (statics.TryGetValue(sub, out var s))
                {
                    if (ReservedIn(sub, prefix, s) is string what)
                        throw Messages.Error("AddressReserved", VNetErrorCategory.InvalidArgument, s.ToString(), s, net.Name, what);
                    string? holder = leases != null ? leases.GetValueOrDefault(s) : store.AddressHolder(net.Name, s);
                    if (holder != null || taken.Contains(s)) throw InUse(store, net, s, holder);
                    a = s;
                }
                else
                {
                    // After a lost race, the others that lost it would all pick the same next address
                    // again: skip a random few free ones, more the more races were lost.
                    int skip = lost == 0 ? 0 : Random.Shared.Next(0, Math.Min(64, 2 << Math.Min(lost, 5)));
                    a = NextFree(store, net, sub, taken, ref leases, skip);
                    if (a == null)
                    {
                        if (repaired)
                            throw Messages.Error("NetworkExhausted", VNetErrorCategory.ResourceBusy, net.Name, net.Name, sub.IPRange ?? sub.Subnet);
                        full = true;
                        break;
                    }
                    dynamic.Add(a);
                }
                addresses.Add(a);
                ep.Addresses.Add($"{a}/{prefix.PrefixLength}");
            }
            if (full)
            {
                onExhausted!();
                repaired = true;
                taken.Clear();
                leases = null;
                continue;
            }
            beforeSave?.Invoke(ep);
            if (store.TryReserve(ep, addresses, dynamic, out var conflict)) return lost;
            if (++lost >= MaxReserveTries)
                throw Messages.Error("ReserveContended", VNetErrorCategory.ResourceBusy, net.Name, net.Name, lost);
            if (conflict != null)
            {
                if (statics.Values.Contains(conflict)) throw InUse(store, net, conflict, store.AddressHolder(net.Name, conflict));
                taken.Add(conflict);
            }
            // Another endpoint got in first: what it took (and where the round robin is now) is read again.
            if (leases != null) leases = store.Leases(net.Name);
        }
    }

    private static VNetException InUse(INetworkStore store, ContainerNetwork net, IPAddress a, string? holder) =>
        Messages.Error("AddressInUse", VNetErrorCategory.ResourceExists, a.ToString(), a, net.Name, DescribeHolder(store, net.Name, holder ?? "another endpoint"));
}
