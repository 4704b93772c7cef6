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

    public List<NetFilterRule> List(string? ns = null, string? table = null, string? chain = null)
    {
        var items = Nftables.ListJson(_ctx, ns, "list ruleset");
        var chains = new Dictionary<(string, string, string), (string? Hook, string? Prio, string? Policy)>();
        var result = new List<NetFilterRule>();
        foreach (var item in items)
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
                        packets = p.GetInt64();
                        bytes = ctr.GetProperty("bytes").GetInt64();
                        break;
                    }
                }
                result.Add(new NetFilterRule
                {
                    Family = fam, Table = tbl, Chain = ch, Hook = head.Hook, Priority = head.Prio, Policy = head.Policy,
                    Handle = r.GetProperty("handle").GetInt64(), Rule = NftText.Rule(r), Packets = packets, Bytes = bytes, Namespace = ns,
                });
            }
        }
        return result;
    }

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
