using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>
/// Reads VNet's rules back as data: masquerade and SNAT rules by their comment from the JSON of
/// `list chain inet vnet postrouting` (libnftables), publishes from the elements of the publish
/// maps as VNet's own nfnetlink dumps them (NftSetElements): by the id in the address map's
/// comments, joined with the port map for the target ports. A thousand publishes are two
/// thousand elements, which as JSON cost more to print and parse than everything else in a call.
/// </summary>
internal static class NatReader
{
    public sealed record Parsed(List<NatRule> Rules, Dictionary<string, List<long>> Handles);

    /// <summary>The masquerade and SNAT rules in libnftables JSON items (rules with a VNet comment), with their handles.</summary>
    public static Parsed ReadRules(List<JsonElement> items, string? ns)
    {
        var rules = new List<NatRule>();
        var handles = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!item.TryGetProperty("rule", out var rule)) continue;
            string? comment = rule.TryGetProperty("comment", out var c) ? c.GetString() : null;
            if (comment == null || !comment.StartsWith(NatIds.Tag, StringComparison.Ordinal)) continue;
            string id = comment[NatIds.Tag.Length..];
            if (id is "hairpin" or "isolation") continue;
            if (!handles.TryGetValue(id, out var list)) handles[id] = list = new List<long>();
            if (rule.TryGetProperty("handle", out var h)) list.Add(h.GetInt64());
            if (list.Count == 1) rules.Add(ParseRule(rule, id, ns));
        }
        return new Parsed(rules, handles);
    }

    /// <summary>
    /// The publishes in one address map (and its port map, when read): elements grouped by the id
    /// in their comment, in key order (as nft prints a map), each group one rule with its port
    /// range, target and the sum of its elements' counters. Elements without VNet's comment are
    /// not VNet's and are left out.
    /// </summary>
    public static List<NatRule> Publishes(bool v6, string proto, bool byHost, List<NftSetElements.Entry> addrs, List<NftSetElements.Entry>? ports, string? ns)
    {
        var toPorts = new Dictionary<byte[], int>(NftSetElements.KeyComparer.Instance);
        foreach (var e in ports ?? new List<NftSetElements.Entry>())
            if (e.Data is { Length: 2 } d) toPorts[e.Key] = d[0] << 8 | d[1];
        string map = NatIds.AddressMap(v6, proto, byHost);
        var mine = addrs.Where(e => e.Comment != null && e.Comment.StartsWith(NatIds.Tag, StringComparison.Ordinal)).ToList();
        mine.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        // Strings are made once per rule, not per element: a 10,000-port range is one rule.
        var groups = new Dictionary<string, (NftSetElements.Entry First, int From, int To, int ToFrom, int ToTo, long Packets, long Bytes)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var e in mine)
        {
            if (NatIds.ParseKey(e.Key, v6, byHost) is not var (_, port) || e.Data is not { Length: 4 or 16 })
                throw new Netlink.NetlinkParseException($"an element of map {map} with a {e.Key.Length}-byte key and {e.Data?.Length ?? 0}-byte data");
            int toPort = toPorts.TryGetValue(e.Key, out int tp) ? tp : port;
            if (!groups.TryGetValue(e.Comment!, out var g))
            {
                order.Add(e.Comment!);
                g = (e, port, port, toPort, toPort, 0, 0);
            }
            groups[e.Comment!] = (g.First, Math.Min(g.From, port), Math.Max(g.To, port), Math.Min(g.ToFrom, toPort), Math.Max(g.ToTo, toPort), g.Packets + e.Packets, g.Bytes + e.Bytes);
        }
        var rules = new List<NatRule>(order.Count);
        foreach (var comment in order)
        {
            var g = groups[comment];
            string? host = NatIds.ParseKey(g.First.Key, v6, byHost)!.Value.Host?.ToString();
            string to = new System.Net.IPAddress(g.First.Data!).ToString();
            string publish = NatIds.Range(g.From, g.To), toPort = NatIds.Range(g.ToFrom, g.ToTo);
            rules.Add(new NatRule
            {
                Id = comment[NatIds.Tag.Length..], Kind = "Publish", Namespace = ns, AddressFamily = v6 ? "IPv6" : "IPv4", Protocol = proto,
                ToAddress = to, HostAddress = host, PublishPort = publish, ToPort = toPort,
                Packets = g.Packets, Bytes = g.Bytes,
                Text = PublishText(proto, publish, host, to, toPort, map),
            });
        }
        return rules;
    }

    public static string PublishText(string proto, string publish, string? host, string to, string toPort, string map) =>
        $"{proto} dport {publish}{(host != null ? $" to {host}" : "")} dnat to {(to.Contains(':') ? $"[{to}]" : to)}:{toPort} (map @{map})";

    private static NatRule ParseRule(JsonElement rule, string id, string? ns)
    {
        string? src = null, oif = null, to = null;
        long packets = 0, bytes = 0;
        string kind = "Masquerade", family = "IPv4";
        var text = new List<string>();
        foreach (var st in rule.GetProperty("expr").EnumerateArray())
        {
            if (st.TryGetProperty("match", out var m))
            {
                var left = m.GetProperty("left");
                string op = m.GetProperty("op").GetString() ?? "==";
                string right = NftText.Value(m.GetProperty("right"));
                if (left.TryGetProperty("payload", out var pl))
                {
                    string proto = pl.GetProperty("protocol").GetString() ?? "ip";
                    string field = pl.GetProperty("field").GetString() ?? "";
                    if (proto == "ip6") family = "IPv6";
                    if (field == "saddr" && op == "==") src = right;
                    text.Add($"{proto} {field} {(op == "==" ? "" : op + " ")}{right}");
                }
                else if (left.TryGetProperty("meta", out var meta))
                {
                    string key = meta.GetProperty("key").GetString() ?? "";
                    if (key == "nfproto") continue;
                    if (key == "oifname") oif = m.GetProperty("right").GetString();
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
                to = NftText.Value(snat.GetProperty("addr"));
                text.Add($"snat to {to}");
            }
        }
        return new NatRule
        {
            Id = id, Kind = kind, Namespace = ns, AddressFamily = family, Source = src, OutInterface = oif, ToAddress = to,
            Packets = packets, Bytes = bytes, Text = string.Join(" ", text),
        };
    }
}
