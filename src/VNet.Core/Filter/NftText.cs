using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>
/// Renders libnftables' JSON rules back into the nft language as `nft list ruleset` prints them,
/// for people to read (Get-NetFilterRule, Get-NatRule's Text, trace steps). Only for display:
/// VNet never feeds this text back to nftables. What it does not know it shows as compact JSON.
/// </summary>
internal static class NftText
{
    private static readonly HashSet<string> BareMeta = new(StringComparer.Ordinal)
        { "iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "mark", "skuid", "skgid", "rtclassid" };
    private static readonly HashSet<string> Verdicts = new(StringComparer.Ordinal) { "accept", "drop", "continue", "return", "queue" };

    /// <summary>A whole rule: its statements, then its comment.</summary>
    public static string Rule(JsonElement rule)
    {
        var parts = new List<string>();
        if (rule.TryGetProperty("expr", out var exprs))
            foreach (var st in exprs.EnumerateArray()) parts.Add(Statement(st));
        if (rule.TryGetProperty("comment", out var c) && c.GetString() is string comment) parts.Add($"comment {Quote(comment)}");
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    public static string Quote(string s) => "\"" + s + "\"";

    public static string Statement(JsonElement st)
    {
        if (st.ValueKind != JsonValueKind.Object) return st.GetRawText();
        foreach (var p in st.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "match":
                {
                    var left = v.GetProperty("left");
                    string op = v.GetProperty("op").GetString() ?? "==";
                    string l = Expr(left), r = Expr(v.GetProperty("right"), IsName(left));
                    return op is "==" or "in" ? $"{l} {r}" : $"{l} {op} {r}";
                }
                case "counter":
                    return v.ValueKind == JsonValueKind.Object && v.TryGetProperty("packets", out var pk)
                        ? $"counter packets {pk.GetRawText()} bytes {(v.TryGetProperty("bytes", out var by) ? by.GetRawText() : "0")}" : "counter";
                case "jump": case "goto":
                    return $"{p.Name} {v.GetProperty("target").GetString()}";
                case "masquerade": case "redirect": case "snat": case "dnat":
                    return Nat(p.Name, v);
                case "log":
                    return v.ValueKind == JsonValueKind.Object && v.TryGetProperty("prefix", out var lp) ? $"log prefix {Quote(lp.GetString() ?? "")}" : "log";
                case "limit":
                    return $"limit rate {v.GetProperty("rate").GetRawText()}/{v.GetProperty("per").GetString()}";
                case "mangle":
                    return $"{Expr(v.GetProperty("key"))} set {Expr(v.GetProperty("value"))}";
                case "xt":
                    return $"xt {v.GetProperty("type").GetString()} {Quote(v.GetProperty("name").GetString() ?? "")}";
                case "reject":
                    return v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var rt) ? $"reject with {rt.GetString()} {(v.TryGetProperty("expr", out var re) ? Expr(re) : "")}".TrimEnd() : "reject";
                case "notrack":
                    return "notrack";
                default:
                    if (Verdicts.Contains(p.Name)) return p.Name;
                    return st.GetRawText();
            }
        }
        return "";
    }

    private static bool IsName(JsonElement left) =>
        left.ValueKind == JsonValueKind.Object && left.TryGetProperty("meta", out var m) && m.GetProperty("key").GetString() is "iifname" or "oifname";

    private static string Nat(string kind, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object) return kind;
        string s = kind;
        if (v.TryGetProperty("family", out var f)) s += " " + f.GetString();
        string addr = v.TryGetProperty("addr", out var a) ? Expr(a) : "";
        string port = v.TryGetProperty("port", out var pt) ? Expr(pt) : "";
        if (addr.Length > 0 || port.Length > 0) s += " to " + addr + (port.Length > 0 ? ":" + port : "");
        return s;
    }

    /// <summary>A value for display; strings as they are.</summary>
    public static string Value(JsonElement v) => Expr(v);

    public static string Expr(JsonElement e, bool quoteStrings = false)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: return quoteStrings ? Quote(e.GetString() ?? "") : e.GetString() ?? "";
            case JsonValueKind.Number: case JsonValueKind.True: case JsonValueKind.False: return e.GetRawText();
            case JsonValueKind.Array: return "{ " + string.Join(", ", e.EnumerateArray().Select(x => Expr(x, quoteStrings))) + " }";
            case JsonValueKind.Object: break;
            default: return e.GetRawText();
        }
        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "payload":
                    return v.TryGetProperty("protocol", out var pr) ? $"{pr.GetString()} {v.GetProperty("field").GetString()}"
                        : $"@{v.GetProperty("base").GetString()},{v.GetProperty("offset").GetRawText()},{v.GetProperty("len").GetRawText()}";
                case "meta":
                {
                    string key = v.GetProperty("key").GetString() ?? "";
                    return BareMeta.Contains(key) ? key : "meta " + key;
                }
                case "ct":
                    return $"ct {(v.TryGetProperty("dir", out var d) ? d.GetString() + " " : "")}{v.GetProperty("key").GetString()}";
                case "fib":
                    return $"fib {string.Join(" . ", v.GetProperty("flags").EnumerateArray().Select(x => x.GetString()))} {v.GetProperty("result").GetString()}";
                case "prefix":
                    return $"{Expr(v.GetProperty("addr"))}/{v.GetProperty("len").GetRawText()}";
                case "range":
                    return $"{Expr(v[0])}-{Expr(v[1])}";
                case "concat":
                    return string.Join(" . ", v.EnumerateArray().Select(x => Expr(x, quoteStrings)));
                case "set":
                    return v.ValueKind == JsonValueKind.Array ? "{ " + string.Join(", ", v.EnumerateArray().Select(x => Expr(x, quoteStrings))) + " }" : Expr(v, quoteStrings);
                case "map":
                    return $"{Expr(v.GetProperty("key"))} map {Expr(v.GetProperty("data"))}";
                case "elem":
                    return Expr(v.GetProperty("val"), quoteStrings);
                case "&": case "|": case "^": case "<<": case ">>":
                    return $"{Expr(v[0])} {p.Name} {Expr(v[1])}";
                default:
                    return e.GetRawText();
            }
        }
        return e.GetRawText();
    }
}
