using System.Net;

namespace VNet.Core.Filter;

/// <summary>
/// NAT, port publishing and bridge isolation in VNet's own nftables table (`table inet vnet`, one
/// per namespace, IPv4 and IPv6). Every change is one nft transaction, decided and committed under
/// the namespace's lock (NftablesLock), with the table's skeleton in the same transaction when it is
/// missing; nothing outside that table is flushed, edited or reordered, except accept rules VNet
/// inserts (and later deletes) in Docker's DOCKER-USER chain (or FORWARD) when a FORWARD policy of
/// DROP would otherwise block VNet's bridges (ForwardAccepts). The rules are built as data
/// (NatRuleset) and read back as data (NatReader). Every call reports its notes and warnings to the
/// <see cref="Diagnostics"/> it is given.
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

    /// <summary>One namespace's share of an add, under its lock: checks against what exists, then one transaction.</summary>
    private void Commit(string? ns, List<NatPlan> batch, Diagnostics d)
    {
        bool exists = TableExists(_ctx, ns);
        var current = exists ? List(ns) : new List<NatRule>();
        var ids = new HashSet<string>(current.Select(r => r.Id), StringComparer.Ordinal);
        // Published ports by (family, protocol, host address): existing ones, then this batch's.
        var taken = new Dictionary<(bool, string, string?), Dictionary<int, string>>();
        Dictionary<int, string> Ports(bool v6, string proto, string? host)
        {
            if (!taken.TryGetValue((v6, proto, host), out var m)) taken[(v6, proto, host)] = m = new Dictionary<int, string>();
            return m;
        }
        foreach (var r in current.Where(r => r.Kind == "Publish"))
        {
            var (a, b) = Validation.PortRange(r.PublishPort, "PublishPort");
            var m = Ports(r.AddressFamily == "IPv6", r.Protocol!, r.HostAddress);
            for (int p = a; p <= b; p++) m[p] = r.Id;
        }
        var cmds = new NatRuleset();
        if (!exists) cmds.Skeleton();
        foreach (var plan in batch)
        {
            if (plan.Kind != "Publish")
            {
                if (!ids.Add(plan.Id)) throw Messages.Error("NatRuleExists", VNetErrorCategory.ResourceExists, plan.Id, plan.Id);
                cmds.SourceNat(plan);
                continue;
            }
            var ports = Ports(plan.V6, plan.Proto, plan.Host?.ToString());
            for (int p = plan.From; p <= plan.To; p++)
                if (ports.TryGetValue(p, out var owner))
                    throw Messages.Error("PublishExists", VNetErrorCategory.ResourceExists, NatIds.Range(plan.From, plan.To), p, plan.Proto, owner);
            for (int p = plan.From; p <= plan.To; p++) ports[p] = plan.Id;
            cmds.Publish(plan);
        }
        var targets = batch.Where(p => p.Kind == "Publish").Select(p => p.ToAddress!).ToList();
        if (targets.Count > 0) cmds.Hairpins(HairpinPairs(ns, current, targets));
        string what = batch.Count == 1 ? batch[0].Id : $"{batch.Count} rules";
        Nftables.RunJson(_ctx, ns, cmds.ToJson(), doing: $"add NAT rule {what}", target: batch.Count == 1 ? batch[0].Id : what);
        foreach (bool v6 in batch.Select(p => p.V6).Distinct()) EnsureForwarding(ns, v6, d);
        _accepts.Reconcile(ns, () => VNetBridges(ns), d);
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
    private List<(string, IPPrefix)> HairpinPairs(string? ns, List<NatRule> rules, IEnumerable<IPAddress>? extra = null)
    {
        var targets = rules.Where(r => r.Kind == "Publish" && r.ToAddress != null).Select(r => IPAddress.Parse(r.ToAddress!)).ToList();
        if (extra != null) targets.AddRange(extra);
        var result = new List<(string, IPPrefix)>();
        if (targets.Count == 0) return result;
        var routes = ConnectedRoutes(ns);
        foreach (var t in targets.Distinct())
        {
            var best = routes.Where(x => x.Prefix.Contains(t)).OrderByDescending(x => x.Prefix.PrefixLength).FirstOrDefault();
            if (best.Interface != null) result.Add((best.Interface, new IPPrefix(best.Prefix.Network(), best.Prefix.PrefixLength)));
        }
        return result;
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

    private NatReader.Parsed Read(string? ns)
    {
        var empty = new NatReader.Parsed(new List<NatRule>(), new Dictionary<string, List<long>>());
        if (!TableExists(_ctx, ns)) return empty;
        try
        {
            return NatReader.Read(Nftables.ListJson(_ctx, ns, $"list table {NatRuleset.Family} {Table}"), ns);
        }
        catch (VNetException e) when (e.ErrorId == "NftablesRejected" && !TableExists(_ctx, ns))
        {
            return empty; // another caller removed the table meanwhile
        }
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
    /// elements, and reading them back cost more than removing them): the kernel is asked for the
    /// range's two ends only, to check they carry this rule's id; what remains afterwards is read
    /// to decide the hairpin set and whether VNet's table can go, which is cheap once they are gone.
    /// Runs under the namespace's lock, so nobody adds between that read and the table's removal.
    /// </summary>
    private bool RemovePublish(string id, string proto, string? host, int from, int to, bool v6, string? ns, bool strict, Diagnostics d)
    {
        if (!TableExists(_ctx, ns)) return NotFound(id, strict);
        IPAddress? hostAddr = host != null ? IPAddress.Parse(host) : null;
        if (!EndsCarry(ns, id, NatIds.AddressMap(v6, proto, host != null), hostAddr, from, to)) return NotFound(id, strict);
        Nftables.RunJson(_ctx, ns, new NatRuleset().Unpublish(v6, proto, hostAddr, from, to).ToJson(), doing: $"remove NAT rule {id}", target: id);
        // The rule is gone; the rest is tidying that a later call would redo if this one failed.
        var rest = List(ns);
        var tidy = new NatRuleset();
        if (rest.Count == 0 && _isolation.List(ns).Count == 0) tidy.DeleteTable();
        else tidy.Hairpins(HairpinPairs(ns, rest));
        Nftables.RunJson(_ctx, ns, tidy.ToJson(), doing: $"remove NAT rule {id}", target: id);
        _accepts.Reconcile(ns, () => VNetBridges(ns), d);
        return true;
    }

    private static bool NotFound(string id, bool strict) =>
        strict ? throw Messages.Error("NatRuleNotFound", VNetErrorCategory.ObjectNotFound, id, id) : false;

    /// <summary>
    /// Whether both ends of a port range are in a map and carry this id: their comments are asked
    /// for by key over nfnetlink (see Nftables.ElementComments); a missing key is the kernel's ENOENT.
    /// </summary>
    private bool EndsCarry(string? ns, string id, string map, IPAddress? host, int from, int to)
    {
        byte[] Key(int p)
        {
            // A port is 2 bytes in network order; in a concatenation each part fills 4-byte registers.
            var port = new byte[] { (byte)(p >> 8), (byte)p };
            if (host == null) return port;
            var addr = host.GetAddressBytes();
            var key = new byte[addr.Length + 4];
            addr.CopyTo(key, 0);
            port.CopyTo(key, addr.Length);
            return key;
        }
        var keys = from == to ? new[] { Key(from) } : new[] { Key(from), Key(to) };
        var comments = Nftables.ElementComments(_ctx, ns, Nftables.FamilyInet, Table, map, keys);
        return comments != null && comments.Count == keys.Length && comments.All(c => c == NatIds.Tag + id);
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
