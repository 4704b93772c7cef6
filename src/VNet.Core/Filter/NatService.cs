using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>A NAT rule VNet made, as Get-NatRule returns it. <see cref="Id"/> is what Remove-NatRule takes.</summary>
public sealed class NatRule
{
    public string Id { get; init; } = "";
    /// <summary>Masquerade, Snat or Publish.</summary>
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Source { get; init; }
    public string? OutInterface { get; init; }
    public string? ToAddress { get; init; }
    public string? Protocol { get; init; }
    /// <summary>The published port or range (host side), e.g. "10080" or "8000-8010".</summary>
    public string? PublishPort { get; init; }
    public string? ToPort { get; init; }
    public string? HostAddress { get; init; }
    public long Packets { get; init; }
    public long Bytes { get; init; }
    /// <summary>How the rule reads in `nft list ruleset`.</summary>
    public string Text { get; init; } = "";
    public override string ToString() => Id;
}

/// <summary>What Add-NatRule asks for.</summary>
public sealed class NatSpec
{
    public string Kind { get; set; } = "Masquerade";
    public string? Source { get; set; }
    public string? OutInterface { get; set; }
    public string? ToAddress { get; set; }
    public string Protocol { get; set; } = "tcp";
    public string? PublishPort { get; set; }
    public string? ToPort { get; set; }
    public string? HostAddress { get; set; }
    public string? Namespace { get; set; }
}

/// <summary>
/// NAT, port publishing and bridge isolation in VNet's own nftables table (`table ip vnet`, one per
/// namespace). Every change is one nft transaction; nothing outside that table is flushed, edited or
/// reordered, except accept rules VNet inserts (and later deletes) in Docker's DOCKER-USER chain
/// (or FORWARD) when a FORWARD policy of DROP would otherwise block VNet's bridges.
/// </summary>
public sealed class NatService
{
    public const string Table = "vnet";
    private const string Tag = "vnet:";
    private readonly NetContext _ctx;

    internal NatService(NetContext ctx) => _ctx = ctx;

    /// <summary>Messages for -Verbose and warnings for the user, from the last change.</summary>
    public List<string> Notes { get; } = new();
    public List<string> Warnings { get; } = new();

    private static readonly string Skeleton = string.Join("\n",
        $"add table ip {Table}",
        $"add map ip {Table} pub_tcp {{ type inet_service : ipv4_addr . inet_service; counter; }}",
        $"add map ip {Table} pub_udp {{ type inet_service : ipv4_addr . inet_service; counter; }}",
        $"add map ip {Table} pub_tcp_addr {{ type ipv4_addr . inet_service : ipv4_addr . inet_service; counter; }}",
        $"add map ip {Table} pub_udp_addr {{ type ipv4_addr . inet_service : ipv4_addr . inet_service; counter; }}",
        $"add set ip {Table} hairpin {{ type ifname . ipv4_addr; flags interval; }}",
        $"add set ip {Table} isolated {{ type ifname; }}",
        $"add set ip {Table} isolated_pairs {{ type ifname . ifname; }}",
        $"add chain ip {Table} prerouting {{ type nat hook prerouting priority dstnat; policy accept; }}",
        $"add chain ip {Table} output {{ type nat hook output priority -100; policy accept; }}",
        $"add chain ip {Table} postrouting {{ type nat hook postrouting priority srcnat; policy accept; }}",
        $"add chain ip {Table} forward {{ type filter hook forward priority filter; policy accept; }}",
        // Published ports: to a given host address first, then to any local address (as `docker run -p`).
        $"add rule ip {Table} prerouting dnat ip to ip daddr . tcp dport map @pub_tcp_addr",
        $"add rule ip {Table} prerouting dnat ip to ip daddr . udp dport map @pub_udp_addr",
        $"add rule ip {Table} prerouting fib daddr type local dnat ip to tcp dport map @pub_tcp",
        $"add rule ip {Table} prerouting fib daddr type local dnat ip to udp dport map @pub_udp",
        $"add rule ip {Table} output dnat ip to ip daddr . tcp dport map @pub_tcp_addr",
        $"add rule ip {Table} output dnat ip to ip daddr . udp dport map @pub_udp_addr",
        $"add rule ip {Table} output ip daddr != 127.0.0.0/8 fib daddr type local dnat ip to tcp dport map @pub_tcp",
        $"add rule ip {Table} output ip daddr != 127.0.0.0/8 fib daddr type local dnat ip to udp dport map @pub_udp",
        // Hairpin: a container reaching a published port of a neighbour on its own bridge gets the
        // reply through the host, so its source is masqueraded there.
        $"add rule ip {Table} postrouting ct status dnat oifname . ip saddr @hairpin counter masquerade comment \"vnet:hairpin\"",
        // Isolation between isolated bridges (Docker's DOCKER-ISOLATION-STAGE-1/2).
        $"add rule ip {Table} forward iifname . oifname @isolated_pairs counter drop comment \"vnet:isolation\"");

    private bool TableExists(string? ns) => IpTableExists(ns, Table);

    /// <summary>
    /// Whether an nftables table of family ip exists, asked over nfnetlink (one small NFT_MSG_GETTABLE
    /// dump): cheaper than libnftables, which fetches every table's sets and elements to answer, and
    /// it lets a namespace without any firewall (the usual case for a bridge) never load libnftables.
    /// </summary>
    private bool IpTableExists(string? ns, string name)
    {
        const ushort SubsysNftables = 10, MsgNewTable = 0, MsgGetTable = 1, AttrTableName = 1;
        var req = new NetlinkWriter((ushort)(SubsysNftables << 8 | MsgGetTable), Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(4)[0] = AddressFamily.INET; // nfgenmsg: NFPROTO_IPV4 (= AF_INET), version 0
        List<NetlinkMessage> tables;
        try
        {
            tables = _ctx.NetfilterSocket(ns).Dump(req, "list nftables tables", ns).ToList();
        }
        catch (Exception e) when (e is VNetException or Native.SystemCallException)
        {
            // No nfnetlink or no nf_tables in this kernel: then there is no such table either.
            if (e is VNetException { Category: VNetErrorCategory.PermissionDenied }) throw;
            return false;
        }
        return tables.Any(m => m.Type == (SubsysNftables << 8 | MsgNewTable) && m.Attributes(4).String(AttrTableName) == name);
    }

    private static int Port(string text, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)
            throw Messages.Error("InvalidPort", VNetErrorCategory.InvalidArgument, text, text);
        return p;
    }

    /// <summary>Parses "80" or "8000-8010"; a reversed range is an error naming it.</summary>
    public static (int From, int To) PortRange(string? text, string parameter)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Messages.Error("InvalidPort", VNetErrorCategory.InvalidArgument, text, text ?? "");
        var parts = text.Split('-');
        if (parts.Length > 2) throw Messages.Error("InvalidPortRange", VNetErrorCategory.InvalidArgument, text, text, parameter);
        int a = Port(parts[0].Trim(), parameter);
        int b = parts.Length == 2 ? Port(parts[1].Trim(), parameter) : a;
        if (b < a) throw Messages.Error("InvalidPortRange", VNetErrorCategory.InvalidArgument, text, text, parameter);
        return (a, b);
    }

    private IPPrefix SourcePrefix(string? source)
    {
        var p = Validation.Cidr(source, requirePrefix: false);
        if (p.IsIPv6) throw Messages.Error("IPv6NatNotSupported", VNetErrorCategory.NotImplemented, source, source);
        if (p.HasHostBits)
        {
            var n = new IPPrefix(p.Network(), p.PrefixLength);
            Warnings.Add(Messages.Format("SourceNormalised", source, n));
            return n;
        }
        return p;
    }

    private IPAddress V4(string? text, string parameter)
    {
        var a = Validation.Address(text, parameter);
        if (a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw Messages.Error("IPv6NatNotSupported", VNetErrorCategory.NotImplemented, text, text);
        return a;
    }

    /// <summary>Adds one rule (masquerade, SNAT or a port publish) in a single transaction and returns it.</summary>
    public NatRule Add(NatSpec spec)
    {
        Notes.Clear();
        Warnings.Clear();
        string ns = spec.Namespace ?? "";
        if (spec.OutInterface != null)
        {
            Validation.LinkName(spec.OutInterface, "OutInterface");
            if (_ctx.Links.TryGet(spec.OutInterface, spec.Namespace) == null)
                throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, spec.OutInterface, spec.OutInterface, Links.LinkService.NsText(spec.Namespace));
        }
        var sb = new StringBuilder();
        bool exists = TableExists(spec.Namespace);
        if (!exists) sb.AppendLine(Skeleton);
        // Read VNet's rules once for every check below (each read is a ruleset dump).
        var current = exists ? List(spec.Namespace) : new List<NatRule>();
        string id;
        switch (spec.Kind)
        {
            case "Masquerade":
            case "Snat":
            {
                var src = SourcePrefix(spec.Source);
                IPAddress? to = spec.Kind == "Snat" ? V4(spec.ToAddress, "ToAddress") : null;
                id = $"{spec.Kind.ToLowerInvariant()}-{src}{(spec.OutInterface != null ? "-via-" + spec.OutInterface : "")}{(to != null ? "-to-" + to : "")}";
                if (current.Any(r => r.Id == id))
                    throw Messages.Error("NatRuleExists", VNetErrorCategory.ResourceExists, id, id);
                string match = $"ip saddr {src} ip daddr != {src}" + (spec.OutInterface != null ? $" oifname {Nftables.Q(spec.OutInterface)}" : "");
                string action = to != null ? $"snat ip to {to}" : "masquerade";
                sb.AppendLine($"add rule ip {Table} postrouting {match} counter {action} comment {Nftables.Q(Tag + id)}");
                break;
            }
            case "Publish":
            {
                string proto = (spec.Protocol ?? "tcp").ToLowerInvariant();
                if (proto != "tcp" && proto != "udp")
                    throw Messages.Error("InvalidProtocol", VNetErrorCategory.InvalidArgument, spec.Protocol, spec.Protocol);
                var (from, toEnd) = PortRange(spec.PublishPort, "PublishPort");
                var (tFrom, tTo) = spec.ToPort != null ? PortRange(spec.ToPort, "ToPort") : (from, toEnd);
                if (tTo - tFrom != 0 && tTo - tFrom != toEnd - from)
                    throw Messages.Error("PortRangeMismatch", VNetErrorCategory.InvalidArgument, spec.ToPort, spec.PublishPort, spec.ToPort);
                var target = V4(spec.ToAddress, "ToAddress");
                IPAddress? hostAddr = spec.HostAddress != null ? V4(spec.HostAddress, "HostAddress") : null;
                id = PublishId(proto, hostAddr?.ToString(), from, toEnd);
                var taken = PublishedPorts(current, proto, hostAddr).Where(p => p.Port >= from && p.Port <= toEnd).ToList();
                if (taken.Count > 0)
                    throw Messages.Error("PublishExists", VNetErrorCategory.ResourceExists, spec.PublishPort, taken[0].Port, proto, taken[0].Id);
                string map = PublishMap(proto, hostAddr != null);
                var elems = new List<string>();
                for (int p = from; p <= toEnd; p++)
                {
                    int tp = tTo == tFrom ? tFrom : tFrom + (p - from);
                    elems.Add($"{PublishKey(hostAddr?.ToString(), p)} comment {Nftables.Q(Tag + id)} : {target} . {tp}");
                }
                // Chunks keep each command line reasonable; they are still one transaction.
                foreach (var chunk in elems.Chunk(256))
                    sb.AppendLine($"add element ip {Table} {map} {{ {string.Join(", ", chunk)} }}");
                sb.Append(HairpinScript(spec.Namespace, current, extraTarget: target));
                break;
            }
            default:
                throw Messages.Error("InvalidNatKind", VNetErrorCategory.InvalidArgument, spec.Kind, spec.Kind);
        }
        Nftables.Run(_ctx, spec.Namespace, sb.ToString(), doing: $"add NAT rule {id}", target: id);
        EnsureForwarding(spec.Namespace);
        ReconcileForwardAccept(spec.Namespace);
        return Describe(spec, id);
    }

    /// <summary>The new rule as Get-NatRule would show it (its counters are zero), without reading the ruleset back.</summary>
    private static NatRule Describe(NatSpec spec, string id)
    {
        if (spec.Kind == "Publish")
        {
            var (a, b) = PortRange(spec.PublishPort, "PublishPort");
            var (ta, tb) = spec.ToPort != null ? PortRange(spec.ToPort, "ToPort") : (a, b);
            string proto = spec.Protocol.ToLowerInvariant();
            string pp = a == b ? $"{a}" : $"{a}-{b}", tp = ta == tb ? $"{ta}" : $"{ta}-{tb}";
            return new NatRule
            {
                Id = id, Kind = "Publish", Namespace = spec.Namespace, Protocol = proto, PublishPort = pp, ToPort = tp,
                ToAddress = spec.ToAddress, HostAddress = spec.HostAddress,
                Text = $"{proto} dport {pp}{(spec.HostAddress != null ? $" to {spec.HostAddress}" : "")} dnat to {spec.ToAddress}:{tp} (map @{PublishMap(proto, spec.HostAddress != null)})",
            };
        }
        var src = Validation.Cidr(spec.Source);
        string net = $"{src.Network()}/{src.PrefixLength}";
        return new NatRule
        {
            Id = id, Kind = spec.Kind, Namespace = spec.Namespace, Source = net, OutInterface = spec.OutInterface, ToAddress = spec.ToAddress,
            Text = $"ip saddr {net} ip daddr != {net}{(spec.OutInterface != null ? $" oifname \"{spec.OutInterface}\"" : "")} {(spec.Kind == "Snat" ? $"snat to {spec.ToAddress}" : "masquerade")}",
        };
    }

    /// <summary>Published ports already in a map, with the rule id that owns each.</summary>
    private static List<(int Port, string Id)> PublishedPorts(List<NatRule> rules, string proto, IPAddress? hostAddr)
    {
        var result = new List<(int, string)>();
        foreach (var r in rules.Where(r => r.Kind == "Publish" && r.Protocol == proto &&
                     (hostAddr == null ? r.HostAddress == null : r.HostAddress == hostAddr.ToString())))
        {
            var (a, b) = PortRange(r.PublishPort, "PublishPort");
            for (int p = a; p <= b; p++) result.Add((p, r.Id));
        }
        return result;
    }

    /// <summary>
    /// The hairpin set, rebuilt: for every publish target, the interface and connected subnet it is
    /// reached through (a container's neighbours on the same bridge).
    /// </summary>
    private string HairpinScript(string? ns, List<NatRule> rules, IPAddress? extraTarget = null)
    {
        var targets = rules
            .Where(r => r.Kind == "Publish" && r.ToAddress != null)
            .Select(r => IPAddress.Parse(r.ToAddress!)).ToList();
        if (extraTarget != null) targets.Add(extraTarget);
        var routes = _ctx.Routes.List(ns, "IPv4").Where(r => r.Scope == "link" && r.Destination != "default" && r.InterfaceName != null).ToList();
        var elems = new HashSet<string>();
        foreach (var t in targets)
        {
            var route = routes.Select(r => (r, p: Validation.Cidr(r.Destination))).Where(x => x.p.Contains(t))
                .OrderByDescending(x => x.p.PrefixLength).Select(x => x.r).FirstOrDefault();
            if (route != null) elems.Add($"{Nftables.Q(route.InterfaceName!)} . {route.Destination}");
        }
        var sb = new StringBuilder();
        sb.AppendLine($"flush set ip {Table} hairpin");
        if (elems.Count > 0) sb.AppendLine($"add element ip {Table} hairpin {{ {string.Join(", ", elems)} }}");
        return sb.ToString();
    }

    /// <summary>Every NAT rule VNet made in a namespace, with counters.</summary>
    public List<NatRule> List(string? ns = null)
    {
        var result = new List<NatRule>();
        List<JsonElement> items;
        try { items = Nftables.ListJson(_ctx, ns, $"list table ip {Table}"); }
        catch (VNetException e) when (e.KernelMessage?.Contains("No such file", StringComparison.Ordinal) == true || e.Message.Contains("No such file", StringComparison.Ordinal))
        {
            return result;
        }
        foreach (var item in items)
        {
            if (item.TryGetProperty("rule", out var rule))
            {
                string? comment = rule.TryGetProperty("comment", out var c) ? c.GetString() : null;
                if (comment == null || !comment.StartsWith(Tag, StringComparison.Ordinal)) continue;
                string id = comment[Tag.Length..];
                if (id is "hairpin" or "isolation") continue;
                result.Add(ParseRule(rule, id, ns));
            }
            else if (item.TryGetProperty("map", out var map) && map.TryGetProperty("elem", out var elems))
            {
                string name = map.GetProperty("name").GetString() ?? "";
                if (!name.StartsWith("pub_", StringComparison.Ordinal)) continue;
                string proto = name.Split('_')[1];
                foreach (var g in elems.EnumerateArray().Select(e => ParseElem(e)).Where(e => e.Id != null).GroupBy(e => e.Id!))
                {
                    var ports = g.Select(e => e.Port).Order().ToList();
                    var tports = g.Select(e => e.ToPort).Order().ToList();
                    var first = g.First();
                    result.Add(new NatRule
                    {
                        Id = g.Key, Kind = "Publish", Namespace = ns, Protocol = proto, ToAddress = first.To, HostAddress = first.Host,
                        PublishPort = ports[0] == ports[^1] ? $"{ports[0]}" : $"{ports[0]}-{ports[^1]}",
                        ToPort = tports[0] == tports[^1] ? $"{tports[0]}" : $"{tports[0]}-{tports[^1]}",
                        Packets = g.Sum(e => e.Packets), Bytes = g.Sum(e => e.Bytes),
                        Text = $"{proto} dport {(ports.Count == 1 ? ports[0] : $"{ports[0]}-{ports[^1]}")}{(first.Host != null ? $" to {first.Host}" : "")} dnat to {first.To}:{(tports[0] == tports[^1] ? tports[0] : $"{tports[0]}-{tports[^1]}")} (map @{name})",
                    });
                }
            }
        }
        return result;
    }

    private static NatRule ParseRule(JsonElement rule, string id, string? ns)
    {
        string? src = null, oif = null, to = null;
        long packets = 0, bytes = 0;
        string kind = "Masquerade";
        var text = new List<string>();
        foreach (var st in rule.GetProperty("expr").EnumerateArray())
        {
            if (st.TryGetProperty("match", out var m))
            {
                var left = m.GetProperty("left");
                string op = m.GetProperty("op").GetString() ?? "==";
                string right = RenderValue(m.GetProperty("right"));
                if (left.TryGetProperty("payload", out var pl))
                {
                    string field = pl.GetProperty("field").GetString() ?? "";
                    if (field == "saddr" && op == "==") src = right;
                    text.Add($"ip {field} {(op == "==" ? "" : op + " ")}{right}");
                }
                else if (left.TryGetProperty("meta", out var meta))
                {
                    string key = meta.GetProperty("key").GetString() ?? "";
                    if (key == "oifname") oif = right;
                    text.Add($"{key} {(op == "==" ? "" : op + " ")}{right}");
                }
            }
            else if (st.TryGetProperty("counter", out var ctr) && ctr.ValueKind == JsonValueKind.Object)
            {
                packets = ctr.GetProperty("packets").GetInt64();
                bytes = ctr.GetProperty("bytes").GetInt64();
            }
            else if (st.TryGetProperty("masquerade", out _)) { kind = "Masquerade"; text.Add("masquerade"); }
            else if (st.TryGetProperty("snat", out var snat))
            {
                kind = "Snat";
                to = RenderValue(snat.GetProperty("addr"));
                text.Add($"snat to {to}");
            }
        }
        return new NatRule
        {
            Id = id, Kind = kind, Namespace = ns, Source = src, OutInterface = oif, ToAddress = to, Packets = packets, Bytes = bytes,
            Text = string.Join(" ", text),
        };
    }

    private static string RenderValue(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Object when v.TryGetProperty("prefix", out var p) => $"{p.GetProperty("addr").GetString()}/{p.GetProperty("len").GetInt32()}",
        _ => v.GetRawText(),
    };

    private static (string? Id, int Port, string? Host, string To, int ToPort, long Packets, long Bytes) ParseElem(JsonElement e)
    {
        // [ {"elem": {"val": KEY, "comment": ..., "counter": {...}}}, {"concat": [addr, port]} ]
        var key = e[0];
        var val = e[1].GetProperty("concat");
        string? id = null;
        long packets = 0, bytes = 0;
        JsonElement keyVal = key;
        if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("elem", out var el))
        {
            keyVal = el.GetProperty("val");
            if (el.TryGetProperty("comment", out var c) && c.GetString() is string s && s.StartsWith(Tag, StringComparison.Ordinal)) id = s[Tag.Length..];
            if (el.TryGetProperty("counter", out var ctr)) { packets = ctr.GetProperty("packets").GetInt64(); bytes = ctr.GetProperty("bytes").GetInt64(); }
        }
        string? host = null;
        int port;
        if (keyVal.ValueKind == JsonValueKind.Object && keyVal.TryGetProperty("concat", out var kc))
        {
            host = kc[0].GetString();
            port = kc[1].GetInt32();
        }
        else port = keyVal.GetInt32();
        return (id, port, host, val[0].GetString() ?? "", val[1].GetInt32(), packets, bytes);
    }

    /// <summary>Removes a rule by id: every piece it made (rule, or map elements and its hairpin entry), nothing else.</summary>
    public bool Remove(string id, string? ns = null, bool strict = false)
    {
        Notes.Clear();
        Warnings.Clear();
        if (ParsePublishId(id) is var (proto, host, from, to))
            return RemovePublish(id, proto, host, from, to, ns, strict);
        // Every publish id Add makes parses above; what is left are the masquerade and SNAT rules.
        var all = List(ns);
        var rule = all.FirstOrDefault(r => r.Id == id && r.Kind != "Publish");
        if (rule == null)
        {
            if (strict) throw Messages.Error("NatRuleNotFound", VNetErrorCategory.ObjectNotFound, id, id);
            return false;
        }
        var sb = new StringBuilder();
        foreach (var item in Nftables.ListJson(_ctx, ns, $"list chain ip {Table} postrouting"))
        {
            if (item.TryGetProperty("rule", out var r) && r.TryGetProperty("comment", out var c) && c.GetString() == Tag + id)
                sb.AppendLine($"delete rule ip {Table} postrouting handle {r.GetProperty("handle").GetInt64()}");
        }
        // With this rule gone and no isolated bridge left, VNet's table goes in the same transaction.
        if (all.Count == 1 && IsolatedBridges(ns).Count == 0)
            sb.AppendLine($"delete table ip {Table}");
        Nftables.Run(_ctx, ns, sb.ToString(), doing: $"remove NAT rule {id}", target: id);
        ReconcileForwardAccept(ns);
        return true;
    }

    /// <summary>A publish's id: "publish-tcp-8080", "publish-udp-5000-5010", "publish-tcp-192.0.2.1-8080".</summary>
    internal static string PublishId(string proto, string? host, int from, int to) =>
        $"publish-{proto}-{(host != null ? host + "-" : "")}{from}{(to != from ? $"-{to}" : "")}";

    /// <summary>The map a publish's elements live in: by port, or by host address and port.</summary>
    private static string PublishMap(string proto, bool byHost) => byHost ? $"pub_{proto}_addr" : $"pub_{proto}";

    /// <summary>One element's key in that map.</summary>
    private static string PublishKey(string? host, int port) => host != null ? $"{host} . {port}" : $"{port}";

    /// <summary>The parts of a publish's id, as <see cref="PublishId"/> makes it; null for any other id.</summary>
    internal static (string Proto, string? Host, int From, int To)? ParsePublishId(string id)
    {
        var parts = id.Split('-');
        if (parts.Length < 3 || parts.Length > 5 || parts[0] != "publish" || parts[1] is not ("tcp" or "udp")) return null;
        int i = 2;
        string? host = null;
        if (parts[i].Contains('.'))
        {
            if (!IPAddress.TryParse(parts[i], out var h) || h.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return null;
            host = h.ToString();
            i++;
        }
        int rest = parts.Length - i;
        if (rest is < 1 or > 2) return null;
        if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int a) || a is < 1 or > 65535) return null;
        int b = a;
        if (rest == 2 && (!int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out b) || b < a || b > 65535)) return null;
        return (parts[1], host, a, b);
    }

    /// <summary>
    /// Removes a publish without reading the whole table first (a 1,000-port publish is 1,000 map
    /// elements, and reading them back cost more than removing them): the kernel is asked for the
    /// range's two ends only, to check they carry this rule's id; what remains afterwards is read
    /// to decide the hairpin set and whether VNet's table can go, which is cheap once they are gone.
    /// </summary>
    private bool RemovePublish(string id, string proto, string? host, int from, int to, string? ns, bool strict)
    {
        string map = PublishMap(proto, host != null);
        string ends = from == to ? PublishKey(host, from) : $"{PublishKey(host, from)}, {PublishKey(host, to)}";
        string found;
        try
        {
            found = Nftables.Run(_ctx, ns, $"get element ip {Table} {map} {{ {ends} }}", doing: $"find NAT rule {id}", target: id);
        }
        catch (VNetException e) when (e.ErrorId == "NftablesRejected")
        {
            found = ""; // no table, no map or no such element
        }
        int mine = System.Text.RegularExpressions.Regex.Matches(found, System.Text.RegularExpressions.Regex.Escape($"comment {Nftables.Q(Tag + id)}")).Count;
        if (mine < (from == to ? 1 : 2))
        {
            if (strict) throw Messages.Error("NatRuleNotFound", VNetErrorCategory.ObjectNotFound, id, id);
            return false;
        }
        var sb = new StringBuilder();
        foreach (var chunk in Enumerable.Range(from, to - from + 1).Select(p => PublishKey(host, p)).Chunk(512))
            sb.AppendLine($"delete element ip {Table} {map} {{ {string.Join(", ", chunk)} }}");
        Nftables.Run(_ctx, ns, sb.ToString(), doing: $"remove NAT rule {id}", target: id);
        // The rule is gone; the rest is tidying that a later call would redo if this one failed.
        var rest = List(ns);
        string tidy = rest.Count == 0 && IsolatedBridges(ns).Count == 0 ? $"delete table ip {Table}\n" : HairpinScript(ns, rest);
        Nftables.Run(_ctx, ns, tidy, doing: $"remove NAT rule {id}", target: id);
        ReconcileForwardAccept(ns);
        return true;
    }

    /// <summary>When nothing of VNet's is left in a namespace, its table goes too, so the ruleset is as before VNet came.</summary>
    private void CleanupIfEmpty(string? ns)
    {
        if (!TableExists(ns) || List(ns).Count > 0 || IsolatedBridges(ns).Count > 0) return;
        Nftables.Run(_ctx, ns, $"delete table ip {Table}", doing: "remove VNet's empty table");
    }

    /// <summary>
    /// Forgets isolated bridges that no longer exist (removed with Remove-NetLink), with their forward
    /// accepts, so a new bridge that reuses the name does not start out isolated.
    /// </summary>
    public void PruneIsolated(string? ns)
    {
        var isolated = IsolatedBridges(ns);
        if (isolated.Count == 0) return;
        var existing = _ctx.Links.List(ns, kind: "bridge").Select(l => l.Name).ToHashSet();
        foreach (var gone in isolated.Where(b => !existing.Contains(b)))
        {
            var next = isolated.Where(existing.Contains).ToList();
            var sb = new StringBuilder();
            sb.AppendLine($"flush set ip {Table} isolated");
            sb.AppendLine($"flush set ip {Table} isolated_pairs");
            if (next.Count > 0) sb.AppendLine($"add element ip {Table} isolated {{ {string.Join(", ", next.Select(Nftables.Q))} }}");
            var pairs = next.SelectMany(a => next.Where(b => b != a).Select(b => $"{Nftables.Q(a)} . {Nftables.Q(b)}")).ToList();
            if (pairs.Count > 0) sb.AppendLine($"add element ip {Table} isolated_pairs {{ {string.Join(", ", pairs)} }}");
            Nftables.Run(_ctx, ns, sb.ToString(), doing: $"forget removed bridge '{gone}'", target: gone);
            ReconcileForwardAccept(ns);
            CleanupIfEmpty(ns);
            return;
        }
    }

    /// <summary>The bridges marked isolated in a namespace.</summary>
    public List<string> IsolatedBridges(string? ns)
    {
        // Whether VNet's table exists is asked over nfnetlink: no libnftables needed to say "none".
        if (!TableExists(ns)) return new List<string>();
        JsonElement set;
        try
        {
            set = Nftables.ListJson(_ctx, ns, $"list set ip {Table} isolated").FirstOrDefault(e => e.TryGetProperty("set", out _));
        }
        catch (VNetException e) when (e.ErrorId == "NftablesRejected")
        {
            return new List<string>(); // no VNet table here
        }
        if (set.ValueKind == JsonValueKind.Undefined || !set.GetProperty("set").TryGetProperty("elem", out var elems)) return new List<string>();
        return elems.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList();
    }

    /// <summary>Marks a bridge isolated (or not): isolated bridges exchange no traffic with each other, yet reach the outside.</summary>
    public void SetIsolated(string bridge, bool isolated, string? ns = null)
    {
        Notes.Clear();
        Warnings.Clear();
        var br = _ctx.Links.TryGet(bridge, ns)
            ?? throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, bridge, bridge, Links.LinkService.NsText(ns));
        if (br.Kind != "bridge") throw Messages.Error("NotABridge", VNetErrorCategory.InvalidArgument, bridge, bridge, br.Kind);
        bool exists = TableExists(ns);
        var current = IsolatedBridges(ns);
        var next = new HashSet<string>(current);
        if (isolated) next.Add(bridge); else next.Remove(bridge);
        var sb = new StringBuilder();
        if (!exists) sb.AppendLine(Skeleton);
        sb.AppendLine($"flush set ip {Table} isolated");
        sb.AppendLine($"flush set ip {Table} isolated_pairs");
        if (next.Count > 0) sb.AppendLine($"add element ip {Table} isolated {{ {string.Join(", ", next.Select(Nftables.Q))} }}");
        var pairs = next.SelectMany(a => next.Where(b => b != a).Select(b => $"{Nftables.Q(a)} . {Nftables.Q(b)}")).ToList();
        if (pairs.Count > 0) sb.AppendLine($"add element ip {Table} isolated_pairs {{ {string.Join(", ", pairs)} }}");
        Nftables.Run(_ctx, ns, sb.ToString(), doing: $"{(isolated ? "isolate" : "un-isolate")} bridge '{bridge}'", target: bridge);
        ReconcileForwardAccept(ns);
        ReconcileSwitching(ns, bridge); // a DROP policy set after the bridge was made (Docker started later)
        CleanupIfEmpty(ns);
    }

    /// <summary>Forwarding is off in a new namespace; NAT needs it. Like Docker, VNet turns it on and says so.</summary>
    private void EnsureForwarding(string? ns)
    {
        if (_ctx.Forwarding.Get(ns).Enabled) return;
        _ctx.Forwarding.Set(true, ns);
        Warnings.Add(Messages.Format("ForwardingEnabled", string.IsNullOrEmpty(ns) ? "the current namespace" : $"namespace '{ns}'"));
    }

    /// <summary>
    /// The bridges VNet's rules serve: the interface of each source subnet and publish target, and
    /// every isolated bridge.
    /// </summary>
    private HashSet<string> VNetBridges(string? ns)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!TableExists(ns)) return set;
        var routes = _ctx.Routes.List(ns, "IPv4").Where(r => r.Scope == "link" && r.Destination != "default" && r.InterfaceName != null)
            .Select(r => (r.InterfaceName!, Validation.Cidr(r.Destination))).ToList();
        foreach (var rule in List(ns))
        {
            IPAddress? probe = rule.Source != null ? Validation.Cidr(rule.Source).Address : rule.ToAddress != null ? IPAddress.Parse(rule.ToAddress) : null;
            if (probe == null) continue;
            foreach (var (iface, p) in routes) if (p.Contains(probe)) set.Add(iface);
        }
        foreach (var b in IsolatedBridges(ns)) set.Add(b);
        return set;
    }

    /// <summary>
    /// With an iptables FORWARD policy of DROP (what Docker sets), VNet's accepts in its own table
    /// would not help: a drop in any base chain is final. So VNet puts accepts for its bridges only
    /// where Docker documents user rules go (DOCKER-USER), or at the top of FORWARD without Docker,
    /// and takes them out again when its bridges no longer need them. Never a global accept.
    /// </summary>
    private void ReconcileForwardAccept(string? ns)
    {
        var (chain, dropPolicy) = ForwardPolicy(ns);
        if (chain == null) return;
        var want = dropPolicy ? VNetBridges(ns) : new HashSet<string>();
        var have = ExistingAccepts(ns, chain, "forward");
        foreach (var b in want.Where(b => !have.Contains(b)))
        {
            Iptables(ns, "-I", chain, "-o", b, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment", $"{Tag}forward:{b}", "-j", "ACCEPT");
            Iptables(ns, "-I", chain, "-i", b, "-m", "comment", "--comment", $"{Tag}forward:{b}", "-j", "ACCEPT");
            Notes.Add(Messages.Format("ForwardAcceptAdded", b, chain));
        }
        foreach (var b in have.Where(b => !want.Contains(b)))
        {
            Iptables(ns, "-D", chain, "-o", b, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment", $"{Tag}forward:{b}", "-j", "ACCEPT");
            Iptables(ns, "-D", chain, "-i", b, "-m", "comment", "--comment", $"{Tag}forward:{b}", "-j", "ACCEPT");
            Notes.Add(Messages.Format("ForwardAcceptRemoved", b, chain));
        }
    }

    /// <summary>
    /// Where VNet's accepts go in a namespace's iptables filter table (DOCKER-USER where Docker made
    /// it, else FORWARD; null without a filter table) and whether FORWARD's policy is DROP.
    /// </summary>
    private (string? Chain, bool DropPolicy) ForwardPolicy(string? ns, bool quietWithoutNftables = false)
    {
        if (!IpTableExists(ns, "filter")) return (null, false);
        List<JsonElement> items;
        try { items = Nftables.ListJson(_ctx, ns, "list table ip filter"); }
        catch (VNetException e) when (quietWithoutNftables && e.ErrorId == "NftablesMissing")
        {
            return (null, false); // a plain bridge must not need libnftables
        }
        var chains = items.Where(e => e.TryGetProperty("chain", out _)).Select(e => e.GetProperty("chain")).ToList();
        var forward = chains.FirstOrDefault(c => c.GetProperty("name").GetString() == "FORWARD");
        bool dropPolicy = forward.ValueKind != JsonValueKind.Undefined && forward.TryGetProperty("policy", out var pol) && pol.GetString() == "drop";
        bool dockerUser = chains.Any(c => c.GetProperty("name").GetString() == "DOCKER-USER");
        return (dockerUser ? "DOCKER-USER" : "FORWARD", dropPolicy);
    }

    /// <summary>The bridges named in VNet's accepts of one kind ("forward", "switch") in a chain.</summary>
    private HashSet<string> ExistingAccepts(string? ns, string chain, string kind)
    {
        var (_, output) = Iptables(ns, "-S", chain);
        var set = new HashSet<string>(StringComparer.Ordinal);
        string tag = $"{Tag}{kind}:";
        foreach (var line in output.Split('\n'))
        {
            int i = line.IndexOf(tag, StringComparison.Ordinal);
            if (i < 0) continue;
            set.Add(line[(i + tag.Length)..].Split(' ', '"')[0]);
        }
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
    public void AllowSwitching(string bridge, string? ns = null)
    {
        Notes.Clear();
        Warnings.Clear();
        ReconcileSwitching(ns, bridge);
    }

    /// <summary>
    /// Takes out the switching accepts of bridges that no longer exist and, given a bridge, makes
    /// sure it has one under a DROP policy.
    /// </summary>
    private void ReconcileSwitching(string? ns, string? bridge)
    {
        var (chain, dropPolicy) = ForwardPolicy(ns, quietWithoutNftables: true);
        if (chain == null) return;
        var have = ExistingAccepts(ns, chain, "switch");
        if (have.Count > 0)
        {
            var existing = _ctx.Links.List(ns, kind: "bridge").Select(l => l.Name).ToHashSet();
            foreach (var gone in have.Where(b => b != bridge && !existing.Contains(b)))
            {
                Iptables(ns, SwitchRule("-D", chain, gone));
                Notes.Add(Messages.Format("SwitchAcceptRemoved", gone, chain));
            }
        }
        if (bridge == null || !dropPolicy || have.Contains(bridge)) return;
        Iptables(ns, SwitchRule("-I", chain, bridge));
        Notes.Add(Messages.Format("SwitchAcceptAdded", bridge, chain));
    }

    private static string[] SwitchRule(string op, string chain, string bridge) =>
        new[] { op, chain, "-i", bridge, "-o", bridge, "-m", "comment", "--comment", $"{Tag}switch:{bridge}", "-j", "ACCEPT" };

    /// <summary>
    /// What a removed bridge leaves to tidy: its isolation, and the accepts VNet added for it
    /// (Remove-NetLink calls this after deleting a bridge).
    /// </summary>
    public void ForgetRemovedBridges(string? ns)
    {
        Notes.Clear();
        Warnings.Clear();
        try { PruneIsolated(ns); }
        catch (VNetException e) when (e.ErrorId == "NftablesMissing") { return; }
        ReconcileSwitching(ns, bridge: null);
    }

    private (int, string) Iptables(string? ns, params string[] args)
    {
        var (code, o, e) = _ctx.Namespaces.Run(ns, "iptables", new[] { "-w" }.Concat(args).ToArray());
        if (code != 0 && args[0] != "-S")
            throw new VNetException("IptablesRejected", VNetErrorCategory.InvalidOperation, Messages.Format("KernelError", "iptables " + string.Join(" ", args), e.Trim()), args);
        return (code, o);
    }
}
