using System.Globalization;
using System.Text.RegularExpressions;

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

/// <summary>A read-only view of the whole ruleset, parsed from libnftables' own text with handles.</summary>
public sealed class RulesetService
{
    private static readonly Regex ChainHead = new(@"^\s*chain (\S+) \{", RegexOptions.Compiled);
    private static readonly Regex TableHead = new(@"^table (\S+) (\S+) \{", RegexOptions.Compiled);
    private static readonly Regex BaseSpec = new(@"^\s*type (\S+) hook (\S+)(?: device \S+)? priority ([^;]+);(?: policy (\S+);)?", RegexOptions.Compiled);
    private static readonly Regex HandleTail = new(@"\s+# handle (\d+)\s*$", RegexOptions.Compiled);
    private static readonly Regex Counter = new(@"counter packets (\d+) bytes (\d+)", RegexOptions.Compiled);

    private readonly NetContext _ctx;

    internal RulesetService(NetContext ctx) => _ctx = ctx;

    public List<NetFilterRule> List(string? ns = null, string? table = null, string? chain = null)
    {
        string text = Nftables.Run(_ctx, ns, "list ruleset", json: false, doing: "read the ruleset", handles: true);
        return Parse(text, ns, table, chain);
    }

    /// <summary>The rules in libnftables' text of a ruleset (listed with handles), optionally of matching tables and chains.</summary>
    internal static List<NetFilterRule> Parse(string text, string? ns = null, string? table = null, string? chain = null)
    {
        var result = new List<NetFilterRule>();
        string fam = "", tbl = "", ch = "";
        string? hook = null, prio = null, policy = null;
        int depth = 0;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd();
            var t = TableHead.Match(line);
            if (t.Success) { fam = t.Groups[1].Value; tbl = t.Groups[2].Value; depth = 1; continue; }
            var c = ChainHead.Match(line);
            if (c.Success) { ch = c.Groups[1].Value; hook = prio = policy = null; depth = 2; continue; }
            if (line.Trim() == "}") { depth--; if (depth < 2) ch = ""; continue; }
            if (depth != 2 || ch.Length == 0 || line.Trim().Length == 0) continue;
            var b = BaseSpec.Match(line);
            if (b.Success)
            {
                hook = $"{b.Groups[1].Value} {b.Groups[2].Value}";
                prio = b.Groups[3].Value.Trim();
                policy = b.Groups[4].Success ? b.Groups[4].Value : null;
                continue;
            }
            var h = HandleTail.Match(line);
            // Digits past a long (afl-fuzz fed such text to long.Parse, which threw): not a handle
            // VNet can name, so the line is skipped like any other it cannot read.
            if (!h.Success || !long.TryParse(h.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long handle)) continue;
            string rule = line[..h.Index].Trim();
            var cnt = Counter.Match(rule);
            if (table != null && !Wildcard.IsMatch(tbl, table)) continue;
            if (chain != null && !Wildcard.IsMatch(ch, chain)) continue;
            result.Add(new NetFilterRule
            {
                Family = fam, Table = tbl, Chain = ch, Hook = hook, Priority = prio, Policy = policy,
                Handle = handle, Rule = rule,
                Packets = cnt.Success ? Count(cnt.Groups[1].Value) : null,
                Bytes = cnt.Success ? Count(cnt.Groups[2].Value) : null,
                Namespace = ns,
            });
        }
        return result;
    }

    /// <summary>A counter's value; null when it does not fit a long (the kernel's are 64-bit unsigned).</summary>
    private static long? Count(string digits) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
}
