using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>One rule of a namespace's nftables ruleset (VNet's, iptables-nft's, anyone's), as Get-NetFilterRule shows it.</summary>
public sealed class NetFilterRule
{
    public string Family { get; init; } = "";
    public string Table { get; init; } = "";
    public string Chain { get; init; } = "";
    /// <summary>For a base chain: its type and hook (e.g. "filter forward"); empty for a regular chain.</summary>
    public string? Hook { get; init; }
    public string? Priority { get; init; }
    public string? Policy { get; init; }
    public long Handle { get; init; }
    public string Rule { get; init; } = "";
    public long? Packets { get; init; }
    public long? Bytes { get; init; }
    public string? Namespace { get; init; }
    public override string ToString() => $"{Family} {Table} {Chain}: {Rule}";
}

/// <summary>
/// A read-only view of the whole ruleset, read as libnftables' JSON (structure, handles and
/// counters as data; names with any character in them stay whole); each rule's text is rendered
/// from that data for people to read.
/// </summary>
public sealed class RulesetService
{
    private readonly NetContext _ctx;

    internal RulesetService(NetContext ctx) => _ctx = ctx;

    public List<NetFilterRule> List(string? ns = null, string? table = null, string? chain = null) =>
        Parse(Nftables.ListJson(_ctx, ns, "list ruleset"), ns, table, chain);

    /// <summary>The rules in libnftables' JSON of a ruleset (`nft -j -a list ruleset`); text that is not such JSON has none.</summary>
    internal static List<NetFilterRule> ParseJson(string json, string? ns = null, string? table = null, string? chain = null)
    {
        List<JsonElement> items;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("nftables", out var list) || list.ValueKind != JsonValueKind.Array)
                return new List<NetFilterRule>();
            items = list.EnumerateArray().Select(e => e.Clone()).ToList();
        }
        catch (JsonException) { return new List<NetFilterRule>(); }
        return Parse(items, ns, table, chain);
    }

    /// <summary>The rules among libnftables' JSON items, optionally of matching tables and chains.</summary>
    internal static List<NetFilterRule> Parse(IEnumerable<JsonElement> items, string? ns = null, string? table = null, string? chain = null)
    {
        var chains = new Dictionary<(string, string, string), (string? Hook, string? Prio, string? Policy)>();
        var result = new List<NetFilterRule>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object) continue;
            try
            {
                if (item.TryGetProperty("chain", out var c))
                {
                    string? hook = c.TryGetProperty("hook", out var hk) ? $"{c.GetProperty("type").GetString()} {hk.GetString()}" : null;
                    string? prio = c.TryGetProperty("prio", out var pr) ? NftText.Expr(pr) : null;
                    string? policy = c.TryGetProperty("policy", out var po) ? po.GetString() : null;
                    chains[(S(c, "family"), S(c, "table"), S(c, "name"))] = (hook, prio, policy);
                }
                else if (item.TryGetProperty("rule", out var r))
                {
                    string fam = S(r, "family"), tbl = S(r, "table"), ch = S(r, "chain");
                    if (table != null && !Wildcard.IsMatch(tbl, table)) continue;
                    if (chain != null && !Wildcard.IsMatch(ch, chain)) continue;
                    chains.TryGetValue((fam, tbl, ch), out var head);
                    long? packets = null, bytes = null;
                    foreach (var st in r.GetProperty("expr").EnumerateArray())
                    {
                        if (st.TryGetProperty("counter", out var ctr) && ctr.ValueKind == JsonValueKind.Object && ctr.TryGetProperty("packets", out var p))
                        {
                            // A number past a long (a fuzzer's, never the kernel's) reads as no count.
                            packets = p.TryGetInt64(out long pk) ? pk : null;
                            bytes = ctr.TryGetProperty("bytes", out var b) && b.TryGetInt64(out long by) ? by : null;
                            break;
                        }
                    }
                    if (!r.GetProperty("handle").TryGetInt64(out long handle)) continue; // not a handle VNet can name
                    result.Add(new NetFilterRule
                    {
                        Family = fam, Table = tbl, Chain = ch, Hook = head.Hook, Priority = head.Prio, Policy = head.Policy,
                        Handle = handle, Rule = NftText.Rule(r), Packets = packets, Bytes = bytes, Namespace = ns,
                    });
                }
            }
            // An item of another shape than libnftables writes (found by fuzzing the reader) is left
            // out, as `nft` itself skips what it cannot print, rather than failing the whole view.
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException) { }
        }
        return result;
    }

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
