using VNet.Core.Networks.Drivers;

namespace VNet.Core.Networks;

/// <summary>
/// Container networks (Docker's network / endpoint / sandbox model) over one
/// <see cref="NetContext"/> and one <see cref="INetworkStore"/>: New, Get, Remove here; Connect,
/// Disconnect, endpoints and Repair in the files beside this one. Every change takes the store's
/// locks (the kernel drops them when a holder dies) and keeps an undo list, so a failure leaves
/// nothing behind and a crash leaves nothing Repair cannot explain. The kernel-object services
/// below never call up into this layer. What a call did beyond its result goes into the
/// <see cref="Diagnostics"/> the caller passes to that call (nothing is kept on the service).
/// </summary>
public sealed partial class NetworkService
{
    /// <summary>$VNET_LOCK_TIMEOUT: seconds a caller waits for a live holder of a network lock (a dead one's lock is free at once).</summary>
    public const string LockTimeoutEnv = "VNET_LOCK_TIMEOUT";

    /// <summary>How long a create or remove waits for another one (the overlap check must be atomic).</summary>
    public static TimeSpan NetworksLockTimeout { get; set; } = LockTimeoutFromEnvironment();
    /// <summary>How long a Connect waits for the network's lock; generous, since many may queue for it on a busy host.</summary>
    public static TimeSpan NetworkLockTimeout { get; set; } = LockTimeoutFromEnvironment();

    private static TimeSpan LockTimeoutFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(LockTimeoutEnv), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(120);

    public NetworkService(NetContext ctx, INetworkStore? store = null)
    {
        Ctx = ctx;
        Store = store ?? new CompositeNetworkStore();
    }

    public NetContext Ctx { get; }
    public INetworkStore Store { get; }
    internal INetworkDriver Driver(ContainerNetwork net) => net.Driver switch
    {
        "bridge" => new BridgeDriver(Ctx),
        "macvlan" => new MacvlanDriver(Ctx),
        "none" => new NoneDriver(Ctx),
        "overlay" => new OverlayDriver(Ctx, Store.ClusterSettings),
        _ => throw Messages.Error("UnknownNetworkDriver", VNetErrorCategory.InvalidArgument, net.Driver, net.Driver, string.Join(", ", NetworkDefinition.Drivers)),
    };

    /// <summary>
    /// `docker network create`. With <paramref name="force"/>, an existing network of that name
    /// whose settings match what was given is returned quietly (and repaired when a reboot took its
    /// bridge); one whose settings differ is an error naming the difference.
    /// </summary>
    public ContainerNetwork Create(NetworkSpec spec, bool force = false, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        NetworkDefinition.ValidateName(spec.Name);
        string driver = NetworkDefinition.ValidateDriver(spec.Driver);
        if (spec.Parent != null && driver != "macvlan")
            throw Messages.Error("OptionNotForDriver", VNetErrorCategory.InvalidArgument, spec.Parent, "Parent", driver, spec.Parent);
        if (spec.BridgeName != null && driver != "bridge")
            throw Messages.Error("OptionNotForDriver", VNetErrorCategory.InvalidArgument, spec.BridgeName, "BridgeName", driver, spec.BridgeName);
        if (spec.BridgeName != null) Validation.LinkName(spec.BridgeName, "BridgeName");
        if (driver == "macvlan" && string.IsNullOrEmpty(spec.Parent))
            throw Messages.Error("MacvlanNeedsParent", VNetErrorCategory.InvalidArgument, spec.Name, spec.Name);
        var subnets = NetworkDefinition.ParseSubnets(spec.Subnet);
        if (driver == "none" && (subnets.Count > 0 || spec.Gateway is { Length: > 0 } || spec.IPRange is { Length: > 0 } || spec.AuxAddress is { Count: > 0 }))
            throw Messages.Error("OptionNotForDriver", VNetErrorCategory.InvalidArgument, spec.Name, "Subnet", driver, string.Join(", ", spec.Subnet ?? Array.Empty<string>()));

        bool overlay = driver == "overlay";
        if (spec.Vni != null && !overlay)
            throw Messages.Error("OptionNotForDriver", VNetErrorCategory.InvalidArgument, spec.Vni, "Vni", driver, spec.Vni);
        if (spec.Vni is int given && (given < 1 || given > MaxVni))
            throw Messages.Error("InvalidVni", VNetErrorCategory.InvalidArgument, given, given, MaxVni);
        if (overlay && (Store is CompositeNetworkStore { Cluster: null } || Store is LocalNetworkStore))
            throw Messages.Error("StoreNotSet", VNetErrorCategory.InvalidOperation, spec.Name, spec.Name);

        using var lk = Store.LockNetworks(NetworksLockTimeout);
        // An overlay create races other hosts' creates: its transaction fails when any network was
        // created or removed since the list below was read, and then everything is checked again.
        for (int attempt = 1; ; attempt++)
        {
            var (all, version) = Store.ListNetworksVersioned();
            if (Store is CompositeNetworkStore { ClusterReadFailure: { } failure })
            {
                // Overlay networks unknown: an overlay create cannot check its name, VNI or subnet;
                // a local one goes ahead against the local networks, as it did before the store.
                if (overlay) throw failure;
                d.Warnings.Add(Messages.Format("StoreUnreadable", failure.Message));
            }
            if (CreateOnce(spec, force, d, driver, subnets.ToList(), all, version) is { } made) return made;
            if (attempt >= MaxCreateTries)
                throw Messages.Error("NetworkCreateContended", VNetErrorCategory.ResourceBusy, spec.Name, spec.Name, attempt);
        }
    }

    /// <summary>The etcd store behind <see cref="Store"/>, when there is one.</summary>
    private Cluster.EtcdNetworkStore? EtcdStore => Store as Cluster.EtcdNetworkStore ?? (Store as CompositeNetworkStore)?.Cluster as Cluster.EtcdNetworkStore;

    /// <summary>ErrorId VniInUse as for VXLAN tunnels, with the overlay's own text (the network that holds it).</summary>
    private static VNetException VniInUse(int vni, string holder) =>
        new("VniInUse", VNetErrorCategory.ResourceExists, Messages.Format("OverlayVniInUse", vni, holder), vni);

    private const int MaxVni = (1 << 24) - 1;
    private const int FirstDynamicVni = 4096;
    private const int MaxCreateTries = 20;

    /// <summary>One try of Create against one read of the networks; null when the store's list changed meanwhile (try again).</summary>
    private ContainerNetwork? CreateOnce(NetworkSpec spec, bool force, Diagnostics d, string driver, List<IPPrefix> subnets, IReadOnlyList<ContainerNetwork> all, long version)
    {
        var existing = all.FirstOrDefault(n => n.Name == spec.Name);
        if (existing != null)
        {
            if (!force) throw Messages.Error("NetworkExists", VNetErrorCategory.ResourceExists, spec.Name, spec.Name, existing.ShortId);
            var want = NetworkDefinition.Build(spec, driver,
                subnets.Count > 0 ? subnets : existing.Subnets.Select(s => Validation.Cidr(s.Subnet)).ToList(), existing.Id);
            want.Mtu = spec.Mtu ?? existing.Mtu;
            if (NetworkDefinition.Difference(existing, want, spec) is var (setting, have, asked))
                throw Messages.Error("NetworkSettingsDiffer", VNetErrorCategory.ResourceExists, spec.Name, spec.Name, setting, have, asked);
            // An overlay's devices are made by the Connects of the hosts that have members, never by New.
            if (existing.Driver != "overlay")
                using (Store.LockNetwork(existing.Name, NetworkLockTimeout))
                    if (Driver(existing).Ensure(existing, Store, d) is string note) d.Notes.Add(note);
            d.Notes.Add(Messages.Format("NetworkAlreadyExists", spec.Name));
            return Store.GetNetwork(spec.Name) ?? existing;
        }
        foreach (var p in subnets)
            foreach (var other in all)
                foreach (var os in other.Subnets)
                    if (SubnetMath.Overlaps(p, Validation.Cidr(os.Subnet)))
                        throw Messages.Error("SubnetOverlap", VNetErrorCategory.ResourceExists, SubnetMath.Text(p), SubnetMath.Text(p), spec.Name, os.Subnet, other.Name);
        if (driver != "none" && !subnets.Any(p => !p.IsIPv6))
        {
            var (pools, source) = AddressPools.Load();
            var picked = AddressPools.Pick(pools, TakenPrefixes(all))
                ?? throw Messages.Error("NoFreeSubnet", VNetErrorCategory.ResourceBusy, spec.Name, spec.Name, string.Join("; ", pools), source);
            d.Notes.Add(Messages.Format("SubnetPicked", SubnetMath.Text(picked), spec.Name, source));
            subnets.Insert(0, picked);
        }
        var net = NetworkDefinition.Build(spec, driver, subnets, NetworkDefinition.NewId());
        if (spec.Options != null)
            foreach (var (k, v) in spec.Options) net.Options[k] = v;
        int? vni = null;
        if (driver == "overlay")
        {
            var used = new Dictionary<int, string>();
            foreach (var n in all)
                if (Cluster.EtcdNetworkStore.VniOf(n) is int u) used[u] = n.Name;
            if (spec.Vni is int want)
            {
                if (used.TryGetValue(want, out var holder))
                    throw VniInUse(want, holder);
                vni = want;
            }
            else
            {
                vni = Enumerable.Range(FirstDynamicVni, MaxVni - FirstDynamicVni + 1).Cast<int?>().FirstOrDefault(v => !used.ContainsKey(v!.Value))
                    ?? throw Messages.Error("NoFreeVni", VNetErrorCategory.ResourceBusy, spec.Name);
            }
            net.Options[OverlayDriver.VniOption] = vni.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var drv = Driver(net);
        drv.Prepare(net, spec);
        var undo = new UndoList();
        bool created;
        try
        {
            drv.Create(net, undo, d);
            created = Store.TryCreateNetwork(net, version);
            if (created) undo.Commit();
        }
        catch
        {
            foreach (var f in undo.Run()) d.Notes.Add(f);
            throw;
        }
        if (!created)
        {
            foreach (var f in undo.Run()) d.Notes.Add(f);
            // A VNI the user gave that another host's create just took is an answer, not a retry.
            if (spec.Vni is int want && EtcdStore?.VniHolder(want) is string h && h != spec.Name)
                throw VniInUse(want, h);
            return null;
        }
        return Store.GetNetwork(net.Name) ?? net;
    }

    /// <summary>
    /// What a picked subnet must not overlap: every network's subnets, the host's addresses and its
    /// routes (a subnet the host already reaches some other way).
    /// </summary>
    private List<IPPrefix> TakenPrefixes(IReadOnlyList<ContainerNetwork> all)
    {
        var taken = all.SelectMany(n => n.Subnets).Select(s => Validation.Cidr(s.Subnet)).ToList();
        foreach (var a in Ctx.Addresses.List(null))
            if (System.Net.IPAddress.TryParse(a.IPAddress, out var ip) && !System.Net.IPAddress.IsLoopback(ip))
                taken.Add(new IPPrefix(ip, a.PrefixLength));
        foreach (var r in Ctx.Routes.List(null))
        {
            if (r.Destination == "default") continue;
            try { taken.Add(Validation.Cidr(r.Destination)); }
            catch (VNetException) { } // a route VNet cannot read as a prefix cannot clash with a pool either
        }
        return taken;
    }

    /// <summary>`docker network ls` / `inspect`: every network, or those whose name matches a wildcard pattern.</summary>
    /// With a cluster store that cannot be read, the local networks and a warning in <paramref name="diagnostics"/>.
    public IReadOnlyList<ContainerNetwork> List(string? namePattern = null, Diagnostics? diagnostics = null)
    {
        var all = Store.ListNetworks();
        if (Store is CompositeNetworkStore { ClusterReadFailure: { } failure })
            (diagnostics ?? Diagnostics.Discard).Warnings.Add(Messages.Format("StoreUnreadable", failure.Message));
        if (namePattern == null) return all;
        if (!Wildcard.HasWildcard(namePattern))
        {
            var one = Store.GetNetwork(namePattern);
            return one == null ? Array.Empty<ContainerNetwork>() : new[] { one };
        }
        return all.Where(n => Wildcard.IsMatch(n.Name, namePattern)).ToList();
    }

    /// <summary>A network's definition for an operation on it (no endpoint count); NetworkNotFound when there is none.</summary>
    internal ContainerNetwork Definition(string name)
    {
        NetworkDefinition.ValidateName(name);
        return Store.GetDefinition(name) ?? throw Messages.Error("NetworkNotFound", VNetErrorCategory.ObjectNotFound, name, name);
    }

    /// <summary>
    /// Takes a network's lock and checks the network read before it is still the same one: a Remove
    /// that held the lock meanwhile must not see its bridge re-created by the Connect that waited.
    /// </summary>
    internal IDisposable LockExisting(ContainerNetwork net)
    {
        var lk = Store.LockNetwork(net.Name, NetworkLockTimeout);
        if (Store.GetDefinition(net.Name)?.Id != net.Id)
        {
            lk.Dispose();
            throw Messages.Error("NetworkNotFound", VNetErrorCategory.ObjectNotFound, net.Name, net.Name);
        }
        return lk;
    }

    /// <summary>One network by name; NetworkNotFound when there is none.</summary>
    public ContainerNetwork Get(string name)
    {
        NetworkDefinition.ValidateName(name);
        return Store.GetNetwork(name) ?? throw Messages.Error("NetworkNotFound", VNetErrorCategory.ObjectNotFound, name, name);
    }

    /// <summary>
    /// `docker network rm`. With members it refuses and names them; with <paramref name="force"/>
    /// it disconnects them first. Afterwards no bridge, rule, lease or name of the network is left.
    /// Returns false when there was no such network (an error with <paramref name="strict"/>).
    /// </summary>
    public bool Remove(string name, bool force = false, bool strict = false, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        NetworkDefinition.ValidateName(name);
        using var lk = Store.LockNetworks(NetworksLockTimeout);
        using var ln = Store.LockNetwork(name, NetworkLockTimeout);
        var net = Store.GetNetwork(name);
        if (net == null)
        {
            if (strict) throw Messages.Error("NetworkNotFound", VNetErrorCategory.ObjectNotFound, name, name);
            return false;
        }
        var drv = Driver(net);
        var eps = Store.ListEndpoints(name);
        if (eps.Count > 0 && !force)
        {
            string members = string.Join(", ", eps.Take(10).Select(Describe)) + (eps.Count > 10 ? $" and {eps.Count - 10} more" : "");
            throw Messages.Error("NetworkHasEndpoints", VNetErrorCategory.InvalidOperation, name, name, eps.Count, members);
        }
        foreach (var ep in eps)
        {
            Release(net, drv, ep);
            d.Notes.Add(Messages.Format("EndpointDisconnected", Describe(ep), name));
        }
        drv.Delete(net);
        // Leases of endpoints whose records were lost go with the network's runtime folder.
        Store.DeleteNetwork(name);
        NameService.NetworkRemoved(Ctx, Store, net);
        return true;
    }

    /// <summary>How an endpoint is named in messages: its primary name, else its namespace or container.</summary>
    internal static string Describe(ContainerEndpoint ep) =>
        ep.Names.FirstOrDefault() ?? ep.Container ?? ep.Namespace ?? ep.NamespacePath ?? Ipam.Short(ep.Id);
}
