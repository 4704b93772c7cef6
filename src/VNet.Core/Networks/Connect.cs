using System.Net;
using System.Text.RegularExpressions;
using VNet.Core.Filter;

namespace VNet.Core.Networks;

// Connect, step by step, and what a kill -9 at each step leaves behind (the network's flock is
// held throughout; the kernel drops it when the process dies, so the next caller waits for nothing):
//
//  1. Checks, resolving the namespace, taking the lock, the cheap repair (bridge re-created after a
//     reboot; this namespace's own stale record rolled back): nothing of this call exists yet. The
//     bridge is made down and brought up as the last step of making it, so a kill while the cheap
//     repair re-creates it leaves a down bridge, which the next call (or Repair) takes for half-made
//     and makes again with its address and rules (rules left from before are kept, not doubled).
//  2+3. Addresses reserved and the Pending record written (addresses, host interface name,
//     namespace identity, owner pid, publish rule ids) in one store operation (Ipam.Reserve →
//     INetworkStore.TryReserve): on etcd one transaction, so a kill leaves all of it or nothing.
//     Locally the lease files are claimed (O_EXCL) before the record is written, so a kill between
//     them leaves leases whose holder has no record: Repair releases them ("lease held by an
//     endpoint that has no record"), and so does the next Connect that finds the range exhausted.
//     After both: a Pending record whose owner is dead. The next Connect of the same namespace finds it under
//     the same id and rolls it back first; Repair rolls back every such record.
//  4. veth made (host end on the bridge, container end inside, both up; macvlan: made, moved,
//     renamed), then addresses and default routes: a Pending record whose interfaces exist.
//     Rolling back deletes the host end by its recorded name (taking the container end with it),
//     or the macvlan inside the namespace, then the record, then the leases.
//  5. Publish rule added: its id (derived from the port) is in the Pending record written in step
//     2+3, so a rollback removes it, but only if the rule points at this endpoint's address (a
//     publish of the same port that failed because another endpoint holds it stays that one's).
//  6. Record saved Active, names registered (NameService): an Active endpoint whose names may not
//     resolve yet; Disconnect removes it as any other, and Repair keeps it while its namespace
//     and interface live.
// A Pending record whose owner is alive but no longer holds the lock (it failed and could not
// roll back) is treated as abandoned too: under the lock, no one else can be in the middle of it.

public sealed partial class NetworkService
{
    // Names users give endpoints: DNS labels separated by dots (RFC 1123, '_' allowed as Docker does).
    private static readonly Regex AliasPattern = new("^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// `docker network connect`: joins a namespace (a /run/netns name or path, a Docker container
    /// or a process's namespace) to a network and returns the endpoint. See the comment at the top
    /// of this file for the steps and what a crash at each leaves.
    /// </summary>
    public ContainerEndpoint Connect(ConnectSpec spec, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        var net = Definition(spec.Network);
        var drv = Driver(net);

        // Every check before the first change.
        var statics = new Dictionary<NetworkSubnet, IPAddress>();
        foreach (var text in spec.IPAddress ?? Array.Empty<string>())
        {
            var a = Validation.Address(text, "IPAddress");
            var (sub, _) = NetworkDefinition.SubnetOf(net, a)
                ?? throw Messages.Error("AddressOutsideSubnet", VNetErrorCategory.InvalidArgument, text, text, net.Name, NetworkDefinition.SubnetList(net));
            if (statics.ContainsKey(sub))
                throw Messages.Error("TooManyAddresses", VNetErrorCategory.InvalidArgument, text, text, sub.Subnet);
            statics[sub] = a;
        }
        var aliases = new List<string>();
        foreach (var alias in spec.Alias ?? Array.Empty<string>())
        {
            if (alias == null || !AliasPattern.IsMatch(alias))
                throw Messages.Error("InvalidAlias", VNetErrorCategory.InvalidArgument, alias, alias ?? "");
            if (!aliases.Contains(alias, StringComparer.OrdinalIgnoreCase)) aliases.Add(alias);
        }
        if (spec.InterfaceName != null) Validation.LinkName(spec.InterfaceName, "InterfaceName");
        if (spec.MacAddress != null) Validation.MacAddress(spec.MacAddress);
        NatSpec? publish = null;
        if (spec.PublishPort != null || spec.ToPort != null)
        {
            if (net.Driver != "bridge" || net.Internal)
                throw Messages.Error("PublishNotForNetwork", VNetErrorCategory.InvalidArgument, spec.PublishPort ?? spec.ToPort, net.Name, net.Internal ? "internal" : net.Driver);
            NatService.PortRange(spec.PublishPort, "PublishPort");
            if (spec.ToPort != null) NatService.PortRange(spec.ToPort, "ToPort");
            string proto = (spec.Protocol ?? "tcp").ToLowerInvariant();
            if (proto != "tcp" && proto != "udp")
                throw Messages.Error("InvalidProtocol", VNetErrorCategory.InvalidArgument, spec.Protocol, spec.Protocol);
            publish = new NatSpec { Kind = "Publish", PublishPort = spec.PublishPort, ToPort = spec.ToPort, Protocol = proto };
        }
        var target = Resolve(spec.Target);
        string id = EndpointId(net, target.Inode);

        using var lk = LockExisting(net);
        // The cheap part of Repair: a bridge a reboot took, and this namespace's own leftovers.
        if (drv.Ensure(net, Store, d) is string repaired) d.Notes.Add(repaired);
        if (Store.GetEndpoint(net.Name, id) is { } old)
        {
            bool alive = NamespaceAlive(old);
            if (old.State == EndpointState.Active && alive && drv.InterfaceExists(net, old, alive))
                throw Messages.Error("AlreadyConnected", VNetErrorCategory.ResourceExists, target.Display, target.Display, net.Name, old.InterfaceName, string.Join(", ", old.Addresses));
            Release(net, drv, old);
            d.Notes.Add(Messages.Format("StaleEndpointReleased", target.Display, net.Name, old.State));
        }

        var ep = new ContainerEndpoint
        {
            Id = id, Network = net.Name, NetworkId = net.Id, State = EndpointState.Pending,
            Namespace = target.Container == null ? target.Display : null, NamespacePath = target.Path, NamespaceInode = target.Inode,
            Container = target.Container, ContainerId = target.ContainerId, ProcessId = target.ProcessId,
            InterfaceName = net.Driver == "none" ? "lo" : spec.InterfaceName ?? FreeInterfaceName(target.Path),
            HostInterface = drv.HostInterfaceName(id), MacAddress = spec.MacAddress,
            OwnerProcessId = Environment.ProcessId, Created = DateTime.UtcNow,
            // Every host sees an overlay's endpoints: the agents place this one on this host's VTEP.
            Host = net.Scope == "global" ? Store.LocalHostId : null,
            HostName = net.Scope == "global" ? Store.ClusterSettings?.HostName : null,
        };
        if (target.PrimaryName != null) ep.Names.Add(target.PrimaryName);
        ep.Names.AddRange(aliases.Where(a => !ep.Names.Contains(a, StringComparer.OrdinalIgnoreCase)));

        var undo = new UndoList();
        try
        {
            // Transaction 1: the addresses and the Pending record, all or nothing (see Ipam.Reserve).
            int lost = Ipam.Reserve(Store, net, ep, statics,
                onExhausted: () =>
                {
                    // The range looked full: release leases that a crash or a vanished namespace left
                    // (the garbage collection of Repair, for this network, under the lock already held).
                    foreach (var r in RepairLocked(net, drv, skipEndpoint: id)) d.Notes.Add($"{r.What} {r.Name}: {r.Action} ({r.Reason})");
                },
                beforeSave: e =>
                {
                    e.NatRules.Clear();
                    if (publish == null) return;
                    // Known before the rule exists, so a crash after adding it leaves a record that names it.
                    // To the IPv4 address when there is one, else (an IPv6-only network) to the IPv6 one.
                    var to6 = e.Addresses.Select(c => Validation.Cidr(c)).OrderBy(p => p.IsIPv6).First();
                    publish.ToAddress = to6.Address.ToString();
                    var (from, to) = NatService.PortRange(publish.PublishPort, "PublishPort");
                    e.NatRules.Add(NatService.PublishId(publish.Protocol, null, from, to, to6.IsIPv6));
                });
            if (lost > 0) d.Notes.Add(Messages.Format("ReserveRetried", net.Name, lost + 1));
            foreach (var cidr in ep.Addresses)
            {
                var a = Validation.Cidr(cidr).Address;
                undo.Add($"release {a}", () => { if (Store.AddressHolder(net.Name, a) == id) Store.ReleaseAddress(net.Name, a); });
            }
            undo.Add("delete the endpoint's record", () => Store.DeleteEndpoint(net.Name, id));
            CrashTestPause("reserved");
            drv.Attach(net, ep, undo);
            CrashTestPause("attached");
            if (publish != null)
            {
                var rule = Ctx.Nat.Add(publish, d);
                undo.Add($"remove NAT rule {rule.Id}", () => Ctx.Nat.Remove(rule.Id));
            }
            // Transaction 2.
            ep.State = EndpointState.Active;
            Store.SaveEndpoint(ep);
            undo.Add("unregister the endpoint's names", () => NameService.EndpointDisconnected(Ctx, Store, net, ep));
            NameService.EndpointConnected(Ctx, Store, net, ep);
            undo.Commit();
            return ep;
        }
        catch
        {
            foreach (var f in undo.Run()) d.Notes.Add(f);
            throw;
        }
    }

    /// <summary>eth0, or the first ethN not yet in the namespace (a second network gets eth1, as in Docker).</summary>
    private string FreeInterfaceName(string nsPath)
    {
        // Nearly always the namespace's first network: one lookup of eth0 instead of a dump of its links.
        if (Ctx.Links.TryGet("eth0", nsPath, resolveMaster: false) == null) return "eth0";
        var names = Ctx.Links.List(nsPath).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; ; i++)
            if (!names.Contains($"eth{i}")) return $"eth{i}";
    }

    /// <summary>
    /// For the crash tests only: $VNET_TEST_CONNECT_PAUSE=STEP:SECONDS makes Connect wait after a
    /// step (leased: the local store's lease files claimed, before the Pending record; reserved:
    /// after the reservation; attached), so a test can kill -9 the process exactly there instead of racing it.
    /// </summary>
    internal static void CrashTestPause(string step)
    {
        string? v = Environment.GetEnvironmentVariable("VNET_TEST_CONNECT_PAUSE");
        if (v == null || !v.StartsWith(step + ":", StringComparison.Ordinal)) return;
        if (int.TryParse(v.AsSpan(step.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int s))
            Thread.Sleep(TimeSpan.FromSeconds(s));
    }
}
