using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>
/// Reads VNet's rules back from the JSON of `list table inet vnet`: masquerade and SNAT rules by
/// their comment, publishes by the comments on their address-map elements, joined with the port
/// maps for the target ports.
/// </summary>
internal static class NatReader
{
    public sealed record Parsed(List<NatRule> Rules, Dictionary<string, List<long>> Handles);

    public static Parsed Read(List<JsonElement> items, string? ns)
    {
        var rules = new List<NatRule>();
        var handles = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var portMaps = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var addrMaps = new List<(string Name, JsonElement Elems)>();
        foreach (var item in items)
        {
            if (item.TryGetProperty("rule", out var rule))
            {
                string? comment = rule.TryGetProperty("comment", out var c) ? c.GetString() : null;
                if (comment == null || !comment.StartsWith(NatIds.Tag, StringComparison.Ordinal)) continue;
                string id = comment[NatIds.Tag.Length..];
                if (id is "hairpin" or "isolation") continue;
                if (!handles.TryGetValue(id, out var list)) handles[id] = list = new List<long>();
                if (rule.TryGetProperty("handle", out var h)) list.Add(h.GetInt64());
                if (list.Count == 1) rules.Add(ParseRule(rule, id, ns));
            }
            else if (item.TryGetProperty("map", out var map))
            {
                string name = map.GetProperty("name").GetString() ?? "";
                if (!name.StartsWith("pub", StringComparison.Ordinal) || !map.TryGetProperty("elem", out var elems)) continue;
                if (name.EndsWith("_port", StringComparison.Ordinal))
                {
                    var ports = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var e in elems.EnumerateArray())
                    {
                        var (key, _, _, _) = ElemKey(e[0]);
                        ports[key] = e[1].GetInt32();
                    }
                    portMaps[name] = ports;
                }
                else addrMaps.Add((name, elems));
            }
        }
        foreach (var (name, elems) in addrMaps)
        {
            bool v6 = name.StartsWith("pub6", StringComparison.Ordinal);
            string proto = name.Split('_')[1];
            portMaps.TryGetValue(name + "_port", out var ports);
            var parsed = elems.EnumerateArray().Select(e =>
            {
                var (key, id, packets, bytes) = ElemKey(e[0]);
                var (host, port) = SplitKey(key);
                int toPort = ports != null && ports.TryGetValue(key, out int tp) ? tp : port;
                return (Id: id, Port: port, Host: host, To: e[1].GetString() ?? "", ToPort: toPort, Packets: packets, Bytes: bytes);
            });
            foreach (var g in parsed.Where(e => e.Id != null).GroupBy(e => e.Id!))
            {
                var pp = g.Select(e => e.Port).Order().ToList();
                var tps = g.Select(e => e.ToPort).Order().ToList();
                var first = g.First();
                string publish = NatIds.Range(pp[0], pp[^1]), to = NatIds.Range(tps[0], tps[^1]);
                rules.Add(new NatRule
                {
                    Id = g.Key, Kind = "Publish", Namespace = ns, AddressFamily = v6 ? "IPv6" : "IPv4", Protocol = proto,
                    ToAddress = first.To, HostAddress = first.Host, PublishPort = publish, ToPort = to,
                    Packets = g.Sum(e => e.Packets), Bytes = g.Sum(e => e.Bytes),
                    Text = PublishText(proto, publish, first.Host, first.To, to, name),
                });
            }
        }
        return new Parsed(rules, handles);
    }

    public static string PublishText(string proto, string publish, string? host, string to, string toPort, string map) =>
        $"{proto} dport {publish}{(host != null ? $" to {host}" : "")} dnat to {(to.Contains(':') ? $"[{to}]" : to)}:{toPort} (map @{map})";

    /// <summary>An element's key as "PORT" or "HOST|PORT", with its comment's id and counters.</summary>
    private static (string Key, string? Id, long Packets, long Bytes) ElemKey(JsonElement key)
    {
        string? id = null;
        long packets = 0, bytes = 0;
        if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("elem", out var el))
        {
            key = el.GetProperty("val");
            if (el.TryGetProperty("comment", out var c) && c.GetString() is string s && s.StartsWith(NatIds.Tag, StringComparison.Ordinal)) id = s[NatIds.Tag.Length..];
            if (el.TryGetProperty("counter", out var ctr)) { packets = ctr.GetProperty("packets").GetInt64(); bytes = ctr.GetProperty("bytes").GetInt64(); }
        }
        string k = key.ValueKind == JsonValueKind.Object && key.TryGetProperty("concat", out var kc)
            ? $"{kc[0].GetString()}|{kc[1].GetInt32()}"
            : key.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (k, id, packets, bytes);
    }

    private static (string? Host, int Port) SplitKey(string key)
    {
        int i = key.IndexOf('|', StringComparison.Ordinal);
        return i < 0 ? (null, int.Parse(key, System.Globalization.CultureInfo.InvariantCulture))
            : (key[..i], int.Parse(key[(i + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

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
