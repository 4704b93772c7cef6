using System.Net;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>
/// NAT, port publishing and bridge isolation in VNet's own nftables table (`table inet vnet`, one
/// per namespace, IPv4 and IPv6). Every change is decided and committed under the namespace's lock
/// (NftablesLock). Two ways into the kernel, each for what it does best: libnftables JSON
/// (NatRuleset) for the table's skeleton, masquerade/SNAT rules and the hairpin and isolation sets
/// (rules with expressions, printed back by `nft` as written); VNet's own nfnetlink
/// (NftSetElements) for the publish maps' elements, one batch per change, read back as binary dumps
/// (a thousand publishes are two thousand elements, which cost more as JSON than everything else).
/// Nothing outside that table is flushed, edited or reordered, except accept rules VNet inserts
/// (and later deletes) in Docker's DOCKER-USER chain (or FORWARD) when a FORWARD policy of DROP
/// would otherwise block VNet's bridges (ForwardAccepts). Rules are read back as data (NatReader).
/// Every call reports its notes and warnings to the <see cref="Diagnostics"/> it is given.
/// </summary>
public sealed class NatService
{
    public const string Table = NatRuleset.Table;
    private readonly NetContext _ctx;
    private readonly NftablesLock _lock = new();
    private readonly ForwardAccepts _accepts;
    private readonly BridgeIsolation _isolation;

    internal NatService(NetContext ctx)
    {
        _ctx = ctx;
        _accepts = new ForwardAccepts(ctx);
        _isolation = new BridgeIsolation(ctx);
    }

    internal static bool TableExists(NetContext ctx, string? ns) => Nftables.TableExists(ctx, ns, Nftables.FamilyInet, Table);

    /// <summary>Parses "80" or "8000-8010"; kept for its callers, the parser is <see cref="Validation.PortRange"/> (the cmdlets check with it too).</summary>
    public static (int From, int To) PortRange(string? text, string parameter) => Validation.PortRange(text, parameter);

    /// <summary>A publish's id: "publish-tcp-8080", "publish-udp-5000-5010", "publish-tcp-192.0.2.1-8080", "publish6-tcp-8080".</summary>
    internal static string PublishId(string proto, string? host, int from, int to, bool v6 = false) => NatIds.PublishId(proto, host, from, to, v6);

    /// <summary>The parts of a publish's id; null for any other id.</summary>
    internal static (string Proto, string? Host, int From, int To)? ParsePublishId(string id) =>
        NatIds.ParsePublishId(id) is var (p, h, a, b, _) ? (p, h, a, b) : null;

    private static string Family(bool v6) => v6 ? "IPv6" : "IPv4";

    private static IPAddress Address(string? text, string parameter, bool? v6, string otherParameter, string? other)
    {
        var a = Validation.Address(text, parameter);
        // ::ffff:192.0.2.1 is an IPv4 address to the kernel's IPv4 NAT and to the publish ids
        // (which could not name it otherwise, so it could never be removed): taken as IPv4.
        if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
        bool isV6 = a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (v6.HasValue && isV6 != v6.Value)
            throw Messages.Error("NatFamilyMismatch", VNetErrorCategory.InvalidArgument, text, parameter, text, Family(isV6), otherParameter, other, Family(v6.Value));
        return a;
    }

    /// <summary>Checks a spec and parses every value in it; throws naming the bad one. Changes nothing.</summary>
    private NatPlan Plan(NatSpec spec, Diagnostics d)
    {
        if (spec.OutInterface != null)
        {
            Validation.LinkName(spec.OutInterface, "OutInterface");
            if (_ctx.Links.TryGet(spec.OutInterface, spec.Namespace) == null)
                throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, spec.OutInterface, spec.OutInterface, Links.LinkService.NsText(spec.Namespace));
        }
        switch (spec.Kind)
        {
            case "Masquerade":
            case "Snat":
            {
                var src = Validation.Cidr(spec.Source, requirePrefix: false);
                if (src.HasHostBits)
                {
                    var n = new IPPrefix(src.Network(), src.PrefixLength);
                    d.Warnings.Add(Messages.Format("SourceNormalised", spec.Source, n));
                    src = n;
                }
                IPAddress? to = spec.Kind == "Snat" ? Address(spec.ToAddress, "ToAddress", src.IsIPv6, "Source", spec.Source) : null;
                string id = $"{spec.Kind.ToLowerInvariant()}-{src}{(spec.OutInterface != null ? "-via-" + spec.OutInterface : "")}{(to != null ? "-to-" + to : "")}";
                return new NatPlan(id, spec.Kind, src.IsIPv6, src, spec.OutInterface, to, "", 0, 0, 0, 0, null);
            }
            case "Publish":
            {
                string proto = (spec.Protocol ?? "tcp").ToLowerInvariant();
                if (proto != "tcp" && proto != "udp")
                    throw Messages.Error("InvalidProtocol", VNetErrorCategory.InvalidArgument, spec.Protocol, spec.Protocol);
                var (from, to) = Validation.PortRange(spec.PublishPort, "PublishPort");
                var (tFrom, tTo) = spec.ToPort != null ? Validation.PortRange(spec.ToPort, "ToPort") : (from, to);
                if (tTo - tFrom != 0 && tTo - tFrom != to - from)
                    throw Messages.Error("PortRangeMismatch", VNetErrorCategory.InvalidArgument, spec.ToPort, spec.PublishPort, spec.ToPort);
                var target = Address(spec.ToAddress, "ToAddress", null, "", null);
                bool v6 = target.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
                IPAddress? host = spec.HostAddress != null ? Address(spec.HostAddress, "HostAddress", v6, "ToAddress", spec.ToAddress) : null;
                string id = NatIds.PublishId(proto, host?.ToString(), from, to, v6);
                return new NatPlan(id, "Publish", v6, null, null, target, proto, from, to, tFrom, tTo, host);
            }
            default:
                throw Messages.Error("InvalidNatKind", VNetErrorCategory.InvalidArgument, spec.Kind, spec.Kind);
        }
    }

    /// <summary>Adds one rule (masquerade, SNAT or a port publish) in a single transaction and returns it.</summary>
    public NatRule Add(NatSpec spec, Diagnostics? diagnostics = null) => AddMany(new[] { spec }, diagnostics)[0];

    /// <summary>
    /// Adds many rules at once, all or nothing: every spec is checked (against each other and what
    /// exists) before anything changes, and each namespace's share is one transaction. A pipeline of
    /// Add-NatRule commits here once, in its EndProcessing.
    /// </summary>
    public List<NatRule> AddMany(IReadOnlyList<NatSpec> specs, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        var plans = specs.Select(s => (Spec: s, Plan: Plan(s, d))).ToList();
        var done = new List<(string? Ns, string Id)>();
        try
        {
            foreach (var group in plans.GroupBy(p => p.Spec.Namespace ?? ""))
            {
                string? ns = group.First().Spec.Namespace;
                var batch = group.Select(p => p.Plan).ToList();
                _lock.Hold(_ctx, ns, () => Commit(ns, batch, d));
                done.AddRange(batch.Select(p => (ns, p.Id)));
            }
        }
        catch
        {
            // A later namespace failed: what earlier ones added goes again (the first error is the one to report).
            foreach (var (ns, id) in done)
                try { Remove(id, ns); } catch (VNetException) { }
            throw;
        }
        return plans.Select(p => Describe(p.Plan, p.Spec.Namespace)).ToList();
    }

    /// <summary>
    /// One namespace's share of an add, under its lock: checks against what exists, then commits
    /// in at most two steps. (a) libnftables JSON, only when needed: the table's skeleton when it
    /// is missing, masquerade/SNAT rules, and the hairpin sets when the (interface, subnet) pairs
    /// the publish targets need differ from the kernel's. (b) The publishes' map elements, both maps of every publish,
    /// in one nfnetlink batch (all or nothing in the kernel). If (b) fails, what (a) did goes
    /// again (the table it made, the SNAT rules it added, the hairpin sets as before) and (b)'s
    /// error is the one reported.
    /// A process killed between (a) and (b) leaves at most an empty table, SNAT rules of this
    /// call, or hairpin entries for targets without a publish. An empty table and stale hairpin
    /// entries are harmless (a hairpin entry only masquerades flows that were DNATed to a
    /// publish); the next add or remove of a publish finds the kernel's hairpin sets differ from
    /// what the publishes need and rebuilds them, and the next remove that leaves nothing deletes
    /// the table. SNAT rules of the killed call are whole rules, listed and removed like any other.
    /// </summary>
    private void Commit(string? ns, List<NatPlan> batch, Diagnostics d)
    {
        bool exists = TableExists(_ctx, ns);
        var pubs = batch.Where(p => p.Kind == "Publish").ToList();
        var nats = batch.Where(p => p.Kind != "Publish").ToList();
        // What is there, read over nfnetlink: publishes only (their ids, ports and targets);
        // the postrouting chain only when this batch adds masquerade/SNAT rules.
        var current = exists ? PublishedPorts(ns) : new List<Published>();
        var ids = new HashSet<string>(current.Select(r => r.Id), StringComparer.Ordinal);
        if (exists && nats.Count > 0) ids.UnionWith(SourceNat(ns).Rules.Select(r => r.Id));
        // Published ports by (family, protocol, host address): existing ones, then this batch's.
        var taken = new Dictionary<(bool, string, string?), Dictionary<int, string>>();
        Dictionary<int, string> Ports(bool v6, string proto, string? host)
        {
            if (!taken.TryGetValue((v6, proto, host), out var m)) taken[(v6, proto, host)] = m = new Dictionary<int, string>();
            return m;
        }
        foreach (var r in current) Ports(r.V6, r.Proto, r.Host)[r.Port] = r.Id;
        foreach (var plan in nats)
            if (!ids.Add(plan.Id)) throw Messages.Error("NatRuleExists", VNetErrorCategory.ResourceExists, plan.Id, plan.Id);
        foreach (var plan in pubs)
        {
            var ports = Ports(plan.V6, plan.Proto, plan.Host?.ToString());
            for (int p = plan.From; p <= plan.To; p++)
                if (ports.TryGetValue(p, out var owner))
                    throw Messages.Error("PublishExists", VNetErrorCategory.ResourceExists, NatIds.Range(plan.From, plan.To), p, plan.Proto, owner);
            for (int p = plan.From; p <= plan.To; p++) ports[p] = plan.Id;
        }
        string what = batch.Count == 1 ? batch[0].Id : $"{batch.Count} rules";
        object target = batch.Count == 1 ? batch[0].Id : what;

        // (a) libnftables, only for what it is needed for.
        // The hairpin sets are rebuilt only when the pairs the publishes need differ from what the
        // kernel has (read over nfnetlink): usually a new publish goes to a bridge already there.
        List<(string, IPPrefix)>? hairpinsBefore = null, hairpinsAfter = null;
        if (pubs.Count > 0)
        {
            var routes = ConnectedRoutes(ns);
            hairpinsAfter = HairpinPairs(routes, Targets(current).Concat(pubs.Select(p => p.ToAddress!)));
            var now = exists ? HairpinsNow(ns) : new HashSet<(string, IPPrefix)>();
            if (now != null && now.SetEquals(hairpinsAfter)) hairpinsAfter = null;
            else hairpinsBefore = now?.ToList() ?? HairpinPairs(routes, Targets(current));
        }
        var cmds = new NatRuleset();
        if (!exists) cmds.Skeleton();
        foreach (var plan in nats) cmds.SourceNat(plan);
        if (hairpinsAfter != null) cmds.Hairpins(hairpinsAfter);
        if (!cmds.IsEmpty) Nftables.RunJson(_ctx, ns, cmds.ToJson(), doing: $"add NAT rule {what}", target: target);

        // (b) the publishes' elements, one batch.
        if (pubs.Count > 0)
        {
            var (elements, owners) = PublishElements(pubs);
            VNetException? error;
            try
            {
                var refused = elements.Commit(_ctx.NetfilterSocket(ns));
                error = refused != null ? Refusal(ns, refused, elements, owners, pubs, $"add NAT rule {what}", target) : null;
            }
            catch
            {
                // The batch's answer could not be read, or naming the refused element failed:
                // step (a) goes all the same (a table this call made goes with whatever it holds).
                Undo(ns, created: !exists, nats, hairpinsBefore);
                throw;
            }
            if (error != null)
            {
                Undo(ns, created: !exists, nats, hairpinsBefore);
                throw error;
            }
        }
        foreach (bool v6 in batch.Select(p => p.V6).Distinct()) EnsureForwarding(ns, v6, d);
        _accepts.Reconcile(ns, () => VNetBridges(ns), d);
    }

    /// <summary>
    /// The map elements of some publishes, as one batch: each port to the target address
    /// (commented with the rule's id; the map's counter is cloned into each element by the
    /// kernel) and to the target port. With it, which (publish, port) each address-map element is,
    /// by map, to name a port the kernel refuses.
    /// </summary>
    private static (NftElementBatch Batch, Dictionary<string, List<(NatPlan Plan, int Port)>> Owners) PublishElements(List<NatPlan> pubs)
    {
        var batch = new NftElementBatch(Nftables.FamilyInet, Table);
        var owners = new Dictionary<string, List<(NatPlan, int)>>(StringComparer.Ordinal);
        foreach (var group in pubs.GroupBy(p => (p.V6, p.Proto, ByHost: p.Host != null)))
        {
            var addrs = new List<NftSetElements.Element>();
            var ports = new List<NftSetElements.Element>();
            var who = new List<(NatPlan, int)>();
            foreach (var plan in group)
            {
                byte[] addr = plan.ToAddress!.GetAddressBytes();
                string comment = NatIds.Tag + plan.Id;
                for (int port = plan.From; port <= plan.To; port++)
                {
                    var key = NatIds.Key(plan.Host, port);
                    addrs.Add(new NftSetElements.Element(key, addr, comment));
                    ports.Add(new NftSetElements.Element(key, NftSetElements.InetService(plan.TargetPort(port))));
                    who.Add((plan, port));
                }
            }
            string addrMap = NatIds.AddressMap(group.Key.V6, group.Key.Proto, group.Key.ByHost), portMap = NatIds.PortMap(group.Key.V6, group.Key.Proto, group.Key.ByHost);
            batch.Add(addrMap, addrs).Add(portMap, ports);
            owners[addrMap] = owners[portMap] = who;
        }
        return (batch, owners);
    }

    /// <summary>
    /// The error of a refused element batch. A key that is there already (EEXIST) is a port
    /// published meanwhile, or an element put in VNet's map by something else: PublishExists,
    /// naming the port and, when its comment says, the rule that has it.
    /// </summary>
    private VNetException Refusal(string? ns, BatchError e, NftElementBatch elements, Dictionary<string, List<(NatPlan Plan, int Port)>> owners,
        List<NatPlan> pubs, string doing, object target)
    {
        // Nothing was sent: the batch is larger than the send buffer may grow here (no
        // CAP_NET_ADMIN in the initial user namespace for SO_SNDBUFFORCE, a user-namespace container).
        if (e.Message < 0 && e.Errno == Native.Sys.EMSGSIZE)
        {
            var widest = pubs.OrderByDescending(p => p.To - p.From).First();
            return new VNetException("NatBatchTooLarge", VNetErrorCategory.InvalidOperation,
                Messages.Format("NatBatchTooLarge", pubs.Sum(p => p.To - p.From + 1), NatIds.Range(widest.From, widest.To)),
                NatIds.Range(widest.From, widest.To), e.Errno);
        }
        if (e.Errno == Native.Sys.EEXIST && elements.Locate(e) is var (set, index) && owners.TryGetValue(set, out var who) && index < who.Count)
        {
            var (plan, port) = who[index];
            string map = NatIds.AddressMap(plan.V6, plan.Proto, plan.Host != null);
            var there = NftSetElements.Get(_ctx.NetfilterSocket(ns), Nftables.FamilyInet, Table, map, new[] { NatIds.Key(plan.Host, port) });
            string? comment = there?.FirstOrDefault()?.Comment;
            string range = NatIds.Range(plan.From, plan.To);
            return comment != null && comment.StartsWith(NatIds.Tag, StringComparison.Ordinal)
                ? Messages.Error("PublishExists", VNetErrorCategory.ResourceExists, range, port, plan.Proto, comment[NatIds.Tag.Length..])
                : new VNetException("PublishExists", VNetErrorCategory.ResourceExists,
                    Messages.Format("PublishExistsNotVNet", port, plan.Proto, set), range, e.Errno, e.Text);
        }
        return VNetException.FromErrno(e.Errno, doing, target, e.Text);
    }

    /// <summary>
    /// Takes back step (a) of a commit whose element batch failed: the table when this call made
    /// it, else the SNAT rules it added and the hairpin sets as they were. Best effort: the batch's
    /// error is what the caller hears; what is left is harmless (see Commit).
    /// </summary>
    private void Undo(string? ns, bool created, List<NatPlan> nats, List<(string, IPPrefix)>? hairpinsBefore)
    {
        try
        {
            var cmds = new NatRuleset();
            if (created) cmds.DeleteTable();
            else
            {
                if (nats.Count > 0)
                {
                    var handles = SourceNat(ns).Handles;
                    foreach (var plan in nats)
                        if (handles.TryGetValue(plan.Id, out var hs)) foreach (var h in hs) cmds.DeleteRule("postrouting", h);
                }
                if (hairpinsBefore != null) cmds.Hairpins(hairpinsBefore);
            }
            if (!cmds.IsEmpty) Nftables.RunJson(_ctx, ns, cmds.ToJson(), doing: "take back a failed NAT change");
        }
        catch (VNetException) { }
    }

    /// <summary>The new rule as Get-NatRule would show it (its counters are zero), without reading the ruleset back.</summary>
    private static NatRule Describe(NatPlan p, string? ns)
    {
        if (p.Kind == "Publish")
        {
            string pp = NatIds.Range(p.From, p.To), tp = NatIds.Range(p.ToFrom, p.ToTo);
            return new NatRule
            {
                Id = p.Id, Kind = "Publish", Namespace = ns, AddressFamily = Family(p.V6), Protocol = p.Proto, PublishPort = pp, ToPort = tp,
                ToAddress = p.ToAddress!.ToString(), HostAddress = p.Host?.ToString(),
                Text = NatReader.PublishText(p.Proto, pp, p.Host?.ToString(), p.ToAddress.ToString(), tp, NatIds.AddressMap(p.V6, p.Proto, p.Host != null)),
            };
        }
        string net = p.Source!.Value.ToString(), l3 = p.V6 ? "ip6" : "ip";
        return new NatRule
        {
            Id = p.Id, Kind = p.Kind, Namespace = ns, AddressFamily = Family(p.V6), Source = net, OutInterface = p.OutInterface, ToAddress = p.ToAddress?.ToString(),
            Text = $"{l3} saddr {net} {l3} daddr != {net}{(p.OutInterface != null ? $" oifname \"{p.OutInterface}\"" : "")} {(p.Kind == "Snat" ? $"snat to {p.ToAddress}" : "masquerade")}",
        };
    }

    /// <summary>
    /// For every publish target, the interface and connected subnet it is reached through (a
    /// container's neighbours on the same bridge): the hairpin sets' elements.
    /// </summary>
    private static List<(string, IPPrefix)> HairpinPairs(List<(string Interface, IPPrefix Prefix)> routes, IEnumerable<IPAddress> targets)
    {
        // Longest prefix first, compared as bytes: a thousand targets cost no address objects.
        var nets = routes.Select(r => (r.Interface, Net: r.Prefix.Network(), r.Prefix.PrefixLength))
            .Select(r => (r.Interface, r.Net, Bytes: r.Net.GetAddressBytes(), r.PrefixLength))
            .OrderByDescending(r => r.PrefixLength).ToList();
        var result = new HashSet<(string, IPPrefix)>();
        Span<byte> t = stackalloc byte[16];
        foreach (var target in targets)
        {
            if (!target.TryWriteBytes(t, out int len)) continue;
            foreach (var n in nets)
            {
                if (n.Bytes.Length != len || !SamePrefix(n.Bytes, t[..len], n.PrefixLength)) continue;
                result.Add((n.Interface, new IPPrefix(n.Net, n.PrefixLength)));
                break;
            }
        }
        return result.ToList();
    }

    private static bool SamePrefix(ReadOnlySpan<byte> net, ReadOnlySpan<byte> addr, int bits)
    {
        int whole = bits / 8;
        if (!net[..whole].SequenceEqual(addr[..whole])) return false;
        int rest = bits % 8;
        return rest == 0 || ((net[whole] ^ addr[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
    }

    /// <summary>
    /// The hairpin sets' (interface, subnet) pairs as the kernel has them, over nfnetlink. Each
    /// element of these concatenated-interval sets is a range: the interface name (IFNAMSIZ bytes)
    /// and the subnet's first address as its key, the same name and the subnet's last address as
    /// its end. Null when a set is missing or holds a range that is no subnet (then they are rebuilt).
    /// </summary>
    private HashSet<(string, IPPrefix)>? HairpinsNow(string? ns)
    {
        var sock = _ctx.NetfilterSocket(ns);
        var result = new HashSet<(string, IPPrefix)>();
        foreach (bool v6 in new[] { false, true })
        {
            var elems = NftSetElements.Dump(sock, Nftables.FamilyInet, Table, NatRuleset.Hairpin(v6));
            if (elems == null) return null;
            foreach (var e in elems)
            {
                if (HairpinPair(e, v6 ? 16 : 4) is not { } pair) return null;
                result.Add(pair);
            }
        }
        return result;
    }

    internal static (string, IPPrefix)? HairpinPair(NftSetElements.Entry e, int alen)
    {
        const int IfNameSize = 16;
        if (e.Key.Length != IfNameSize + alen || e.KeyEnd is not { } end || end.Length != e.Key.Length) return null;
        if (!e.Key.AsSpan(0, IfNameSize).SequenceEqual(end.AsSpan(0, IfNameSize))) return null;
        int nul = Array.IndexOf(e.Key, (byte)0, 0, IfNameSize);
        string name = System.Text.Encoding.UTF8.GetString(e.Key, 0, nul >= 0 ? nul : IfNameSize);
        ReadOnlySpan<byte> first = e.Key.AsSpan(IfNameSize), last = end.AsSpan(IfNameSize);
        static int Bit(ReadOnlySpan<byte> b, int i) => (b[i / 8] >> (7 - i % 8)) & 1;
        int bits = 0;
        while (bits < alen * 8 && Bit(first, bits) == Bit(last, bits)) bits++;
        // A subnet: the first address has zeros and the last ones in every host bit.
        for (int i = bits; i < alen * 8; i++)
            if (Bit(first, i) != 0 || Bit(last, i) != 1) return null;
        return (name, new IPPrefix(new IPAddress(first), bits));
    }

    /// <summary>The connected (scope link) routes of both families: which interface reaches which subnet.</summary>
    private List<(string Interface, IPPrefix Prefix)> ConnectedRoutes(string? ns) =>
        _ctx.Routes.List(ns, "IPv4").Concat(_ctx.Routes.List(ns, "IPv6"))
            .Where(r => r.Destination != "default" && r.InterfaceName != null && r.Gateway == null && (r.Scope == "link" || r.Protocol == "kernel"))
            .Select(r => (r.InterfaceName!, Validation.Cidr(r.Destination)))
            .Where(x => !x.Item2.Address.IsIPv6LinkLocal && !x.Item2.Address.IsIPv6Multicast)
            .ToList();

    /// <summary>Every NAT rule VNet made in a namespace, with counters.</summary>
    public List<NatRule> List(string? ns = null) => Read(ns).Rules;

    /// <summary>
    /// Masquerade/SNAT rules first (as in the postrouting chain), then the publishes. The read is
    /// several dumps (the chain, then each map), taken without the lock: when another process
    /// commits in between (the ruleset's generation moved), it is read again, so a rule is never
    /// shown half removed (its address element there, its port element gone).
    /// </summary>
    private NatReader.Parsed Read(string? ns)
    {
        const int Attempts = 5;
        for (int attempt = 1; ; attempt++)
        {
            if (!TableExists(_ctx, ns)) return new NatReader.Parsed(new List<NatRule>(), new Dictionary<string, List<long>>());
            uint before = Nftables.Generation(_ctx, ns);
            var nat = SourceNat(ns);
            nat.Rules.AddRange(Publishes(ns));
            if (Nftables.Generation(_ctx, ns) == before || attempt == Attempts) return nat;
        }
    }

    /// <summary>
    /// The masquerade and SNAT rules with their handles, from libnftables JSON of the postrouting
    /// chain only; asked first over nfnetlink whether the chain has any rule of VNet's besides the
    /// hairpin ones, so a namespace with publishes only never starts libnftables to read.
    /// </summary>
    private NatReader.Parsed SourceNat(string? ns)
    {
        var empty = new NatReader.Parsed(new List<NatRule>(), new Dictionary<string, List<long>>());
        List<string> comments;
        try { comments = IptablesComments.Read(_ctx, ns, Nftables.FamilyInet, Table, "postrouting"); }
        catch (VNetException e) when (e.Errno == Native.Sys.ENOENT) { return empty; } // the table went meanwhile
        if (!comments.Any(c => c.StartsWith(NatIds.Tag, StringComparison.Ordinal) && c != NatIds.Tag + "hairpin")) return empty;
        try
        {
            return NatReader.ReadRules(Nftables.ListJson(_ctx, ns, $"list chain {NatRuleset.Family} {Table} postrouting"), ns);
        }
        catch (VNetException e) when (e.ErrorId == "NftablesRejected" && !TableExists(_ctx, ns))
        {
            return empty; // another caller removed the table meanwhile
        }
    }

    /// <summary>One published port as the clash check and the hairpin sets need it: no strings made for the rule as Get-NatRule shows it.</summary>
    private readonly record struct Published(bool V6, string Proto, string? Host, int Port, string Id, byte[] Target);

    /// <summary>Every published port, from the address maps' elements (VNet's, by their comment), over nfnetlink.</summary>
    private List<Published> PublishedPorts(string? ns)
    {
        var sock = _ctx.NetfilterSocket(ns);
        var result = new List<Published>();
        foreach (var (v6, proto, byHost) in NatIds.PublishMaps)
        {
            string map = NatIds.AddressMap(v6, proto, byHost);
            foreach (var e in NftSetElements.Dump(sock, Nftables.FamilyInet, Table, map) ?? new List<NftSetElements.Entry>())
            {
                if (e.Comment == null || !e.Comment.StartsWith(NatIds.Tag, StringComparison.Ordinal)) continue;
                if (NatIds.ParseKey(e.Key, v6, byHost) is not var (host, port) || e.Data is not { Length: 4 or 16 })
                    throw new NetlinkParseException($"an element of map {map} with a {e.Key.Length}-byte key and {e.Data?.Length ?? 0}-byte data");
                result.Add(new Published(v6, proto, host?.ToString(), port, e.Comment[NatIds.Tag.Length..], e.Data));
            }
        }
        return result;
    }

    /// <summary>The distinct target addresses of published ports.</summary>
    private static List<IPAddress> Targets(IEnumerable<Published> ports) =>
        ports.Select(p => p.Target).Distinct(NftSetElements.KeyComparer.Instance).Select(b => new IPAddress(b)).ToList();

    /// <summary>
    /// Every publish as Get-NatRule shows it, read over nfnetlink: the address maps (ids, targets,
    /// counters) joined with the port maps (target ports). A map that is not there (the table went
    /// meanwhile) has none.
    /// </summary>
    private List<NatRule> Publishes(string? ns)
    {
        var sock = _ctx.NetfilterSocket(ns);
        var rules = new List<NatRule>();
        foreach (var (v6, proto, byHost) in NatIds.PublishMaps)
        {
            var addrs = NftSetElements.Dump(sock, Nftables.FamilyInet, Table, NatIds.AddressMap(v6, proto, byHost));
            if (addrs == null || addrs.Count == 0) continue;
            var ports = NftSetElements.Dump(sock, Nftables.FamilyInet, Table, NatIds.PortMap(v6, proto, byHost));
            rules.AddRange(NatReader.Publishes(v6, proto, byHost, addrs, ports, ns));
        }
        return rules;
    }

    /// <summary>Removes a rule by id: every piece it made (rule, or map elements and its hairpin entry), nothing else.</summary>
    public bool Remove(string id, string? ns = null, bool strict = false, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        return _lock.Hold(_ctx, ns, () =>
        {
            if (NatIds.ParsePublishId(id) is var (proto, host, from, to, v6))
                return RemovePublish(id, proto, host, from, to, v6, ns, strict, d);
            // Every publish id Add makes parses above; what is left are the masquerade and SNAT rules.
            var all = Read(ns);
            var rule = all.Rules.FirstOrDefault(r => r.Id == id && r.Kind != "Publish");
            if (rule == null || !all.Handles.TryGetValue(id, out var handles))
            {
                if (strict) throw Messages.Error("NatRuleNotFound", VNetErrorCategory.ObjectNotFound, id, id);
                return false;
            }
            var cmds = new NatRuleset();
            foreach (var h in handles) cmds.DeleteRule("postrouting", h);
            // With this rule gone and no isolated bridge left, VNet's table goes in the same transaction.
            if (all.Rules.Count == 1 && _isolation.List(ns).Count == 0) cmds.DeleteTable();
            Nftables.RunJson(_ctx, ns, cmds.ToJson(), doing: $"remove NAT rule {id}", target: id);
            _accepts.Reconcile(ns, () => VNetBridges(ns), d);
            return true;
        });
    }

    /// <summary>
    /// Removes a publish without reading the whole table first (a 1,000-port publish is 1,000 map
    /// elements): the kernel is asked for the range's two ends only, to check they carry this
    /// rule's id; both maps' elements then go in one nfnetlink batch. What remains afterwards is
    /// read over nfnetlink to decide the hairpin sets (rebuilt only when the kernel's differ) and
    /// whether VNet's table can go. Runs under the namespace's lock, so nobody adds between that
    /// read and the table's removal.
    /// </summary>
    private bool RemovePublish(string id, string proto, string? host, int from, int to, bool v6, string? ns, bool strict, Diagnostics d)
    {
        if (!TableExists(_ctx, ns)) return NotFound(id, strict);
        IPAddress? hostAddr = host != null ? IPAddress.Parse(host) : null;
        string addrMap = NatIds.AddressMap(v6, proto, host != null), portMap = NatIds.PortMap(v6, proto, host != null);
        var keys = new List<byte[]>(to - from + 1);
        for (int port = from; port <= to; port++) keys.Add(NatIds.Key(hostAddr, port));
        var sock = _ctx.NetfilterSocket(ns);
        List<NetlinkWriter> Deleting(List<byte[]> addrKeys, List<byte[]> portKeys) =>
            new NftElementBatch(Nftables.FamilyInet, Table).Delete(addrMap, addrKeys).Delete(portMap, portKeys).Messages;
        bool removed = false;
        if (EndsCarry(ns, id, addrMap, hostAddr, from, to))
        {
            var refused = sock.TryBatch(Deleting(keys, keys), Nfnl.SUBSYS_NFTABLES);
            if (refused != null && refused.Errno != Native.Sys.ENOENT)
                throw VNetException.FromErrno(refused.Errno, $"remove NAT rule {id}", id, refused.Text);
            removed = refused == null;
        }
        if (!removed)
        {
            // Part of the rule is gone already (an element deleted with nft, or a process killed
            // half-way through a removal of its own): remove what is left of it, found in a read of
            // both maps, so nothing of it lingers; with nothing left it is simply not there.
            // Its address elements (the ones that carry its id) are what says the rule is there at all.
            var (addrLeft, portLeft) = Remnants(sock, id, addrMap, portMap, keys);
            if (addrLeft.Count == 0) return NotFound(id, strict);
            sock.Batch(Deleting(addrLeft, portLeft), Nfnl.SUBSYS_NFTABLES, $"remove NAT rule {id}", id);
            // A port is whole when both its elements were there.
            var inPorts = new HashSet<byte[]>(portLeft, NftSetElements.KeyComparer.Instance);
            int intact = addrLeft.Count(inPorts.Contains);
            d.Warnings.Add(Messages.Format("NatRulePartlyGone", id, keys.Count - intact, keys.Count));
        }
        // The rule is gone; the rest is tidying that a later call would redo if this one failed.
        var rest = PublishedPorts(ns);
        var tidy = new NatRuleset();
        if (rest.Count == 0 && SourceNat(ns).Rules.Count == 0 && _isolation.List(ns).Count == 0) tidy.DeleteTable();
        else
        {
            var after = HairpinPairs(ConnectedRoutes(ns), Targets(rest));
            if (HairpinsNow(ns) is not { } now || !now.SetEquals(after)) tidy.Hairpins(after);
        }
        if (!tidy.IsEmpty) Nftables.RunJson(_ctx, ns, tidy.ToJson(), doing: $"remove NAT rule {id}", target: id);
        _accepts.Reconcile(ns, () => VNetBridges(ns), d);
        return true;
    }

    /// <summary>
    /// What is left of a publish whose elements are partly gone: its keys in the address map that
    /// still carry its id, and its keys in the port map whose address element is gone or carries it
    /// too (the port map's elements have no comment; a key of this range is this rule's alone,
    /// since adds are exclusive on both maps).
    /// </summary>
    private static (List<byte[]> Addresses, List<byte[]> Ports) Remnants(NetlinkSocket sock, string id, string addrMap, string portMap, List<byte[]> keys)
    {
        var range = new HashSet<byte[]>(keys, NftSetElements.KeyComparer.Instance);
        var addrs = (NftSetElements.Dump(sock, Nftables.FamilyInet, Table, addrMap) ?? new())
            .Where(e => range.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Comment, NftSetElements.KeyComparer.Instance);
        var mine = addrs.Where(a => a.Value == NatIds.Tag + id).Select(a => a.Key).ToList();
        var ports = (NftSetElements.Dump(sock, Nftables.FamilyInet, Table, portMap) ?? new())
            .Where(e => range.Contains(e.Key) && (!addrs.TryGetValue(e.Key, out var c) || c == NatIds.Tag + id))
            .Select(e => e.Key).ToList();
        return (mine, ports);
    }

    private static bool NotFound(string id, bool strict) =>
        strict ? throw Messages.Error("NatRuleNotFound", VNetErrorCategory.ObjectNotFound, id, id) : false;

    /// <summary>
    /// Whether both ends of a port range are in a map and carry this id, asked for by key over
    /// nfnetlink (a missing key is the kernel's ENOENT).
    /// </summary>
    private bool EndsCarry(string? ns, string id, string map, IPAddress? host, int from, int to)
    {
        var keys = from == to ? new[] { NatIds.Key(host, from) } : new[] { NatIds.Key(host, from), NatIds.Key(host, to) };
        var there = NftSetElements.Get(_ctx.NetfilterSocket(ns), Nftables.FamilyInet, Table, map, keys);
        return there != null && there.Count == keys.Length && there.All(e => e.Comment == NatIds.Tag + id);
    }

    /// <summary>When nothing of VNet's is left in a namespace, its table goes too, so the ruleset is as before VNet came. Under the lock.</summary>
    private void CleanupIfEmpty(string? ns)
    {
        if (!TableExists(_ctx, ns) || List(ns).Count > 0 || _isolation.List(ns).Count > 0) return;
        Nftables.RunJson(_ctx, ns, new NatRuleset().DeleteTable().ToJson(), doing: "remove VNet's empty table");
    }

    /// <summary>
    /// Forgets isolated bridges that no longer exist (removed with Remove-NetLink), with their forward
    /// accepts, so a new bridge that reuses the name does not start out isolated.
    /// </summary>
    public void PruneIsolated(string? ns, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        if (_isolation.List(ns).Count == 0) return;
        _lock.Hold(_ctx, ns, () =>
        {
            var isolated = _isolation.List(ns);
            var existing = _ctx.Links.List(ns, kind: "bridge").Select(l => l.Name).ToHashSet();
            var gone = isolated.Where(b => !existing.Contains(b)).ToList();
            if (gone.Count == 0) return;
            Nftables.RunJson(_ctx, ns, new NatRuleset().Isolation(isolated.Where(existing.Contains).ToList()).ToJson(),
                doing: $"forget removed bridge '{gone[0]}'", target: gone[0]);
            _accepts.Reconcile(ns, () => VNetBridges(ns), d);
            CleanupIfEmpty(ns);
        });
    }

    /// <summary>The bridges marked isolated in a namespace.</summary>
    public List<string> IsolatedBridges(string? ns) => _isolation.List(ns);

    /// <summary>Marks a bridge isolated (or not): isolated bridges exchange no traffic with each other, yet reach the outside.</summary>
    public void SetIsolated(string bridge, bool isolated, string? ns = null, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        var br = _ctx.Links.TryGet(bridge, ns)
            ?? throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, bridge, bridge, Links.LinkService.NsText(ns));
        if (br.Kind != "bridge") throw Messages.Error("NotABridge", VNetErrorCategory.InvalidArgument, bridge, bridge, br.Kind);
        _lock.Hold(_ctx, ns, () =>
        {
            bool exists = TableExists(_ctx, ns);
            var next = BridgeIsolation.With(exists ? _isolation.List(ns) : new List<string>(), bridge, isolated);
            var cmds = new NatRuleset();
            if (!exists) cmds.Skeleton();
            cmds.Isolation(next);
            Nftables.RunJson(_ctx, ns, cmds.ToJson(), doing: $"{(isolated ? "isolate" : "un-isolate")} bridge '{bridge}'", target: bridge);
            _accepts.Reconcile(ns, () => VNetBridges(ns), d);
            _accepts.ReconcileSwitching(ns, bridge, d); // a DROP policy set after the bridge was made (Docker started later)
            CleanupIfEmpty(ns);
        });
    }

    /// <summary>Forwarding is off in a new namespace; NAT needs it. Like Docker, VNet turns it on and says so.</summary>
    private void EnsureForwarding(string? ns, bool v6, Diagnostics d)
    {
        string family = Family(v6);
        if (_ctx.Forwarding.Get(ns, family).Enabled) return;
        _ctx.Forwarding.Set(true, ns, family);
        d.Warnings.Add(Messages.Format(v6 ? "ForwardingEnabled6" : "ForwardingEnabled", string.IsNullOrEmpty(ns) ? "the current namespace" : $"namespace '{ns}'"));
    }

    /// <summary>
    /// The bridges VNet's rules serve: the interface of each source subnet and publish target, and
    /// every isolated bridge.
    /// </summary>
    private HashSet<string> VNetBridges(string? ns)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!TableExists(_ctx, ns)) return set;
        var routes = ConnectedRoutes(ns);
        foreach (var rule in List(ns))
        {
            IPAddress? probe = rule.Source != null ? Validation.Cidr(rule.Source).Address : rule.ToAddress != null ? IPAddress.Parse(rule.ToAddress) : null;
            if (probe == null) continue;
            foreach (var (iface, p) in routes) if (p.Contains(probe)) set.Add(iface);
        }
        foreach (var b in _isolation.List(ns)) set.Add(b);
        return set;
    }

    /// <summary>
    /// Lets a bridge switch between its own ports under an iptables FORWARD policy of DROP. With
    /// br_netfilter (on in every namespace of this kernel, and loaded by Docker) bridged frames pass
    /// the FORWARD hook, so under Docker's DROP two containers on one VNet bridge could not talk.
    /// VNet adds what Docker adds for docker0, `-i B -o B -j ACCEPT`, where Docker documents user
    /// rules go, tagged so it leaves with the bridge. Without a DROP policy nothing is added.
    /// Accepts of bridges that no longer exist are taken out on the way.
    /// </summary>
    public void AllowSwitching(string bridge, string? ns = null, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        if (!ForwardFilterExists(ns)) return; // the usual case: no iptables here, nothing to lock for
        _lock.Hold(_ctx, ns, () => _accepts.ReconcileSwitching(ns, bridge, d));
    }

    /// <summary>Whether iptables-nft has a filter table here (IPv4 or IPv6), where VNet's accepts would go.</summary>
    private bool ForwardFilterExists(string? ns) =>
        Nftables.TableExists(_ctx, ns, Nftables.FamilyIPv4, "filter") || Nftables.TableExists(_ctx, ns, Nftables.FamilyIPv6, "filter");

    /// <summary>
    /// What a removed bridge leaves to tidy: its isolation, and the accepts VNet added for it
    /// (Remove-NetLink calls this after deleting a bridge).
    /// </summary>
    public void ForgetRemovedBridges(string? ns, Diagnostics? diagnostics = null)
    {
        var d = diagnostics ?? Diagnostics.Discard;
        if (!TableExists(_ctx, ns) && !ForwardFilterExists(ns)) return;
        _lock.Hold(_ctx, ns, () =>
        {
            try { PruneIsolated(ns, d); }
            catch (VNetException e) when (e.ErrorId == "NftablesMissing") { return; }
            _accepts.ReconcileSwitching(ns, bridge: null, d);
        });
    }
}
