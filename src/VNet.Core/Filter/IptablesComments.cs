using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>
/// The comments of the rules in one chain of an iptables table, read as data over nfnetlink
/// (NFT_MSG_GETRULE) rather than from `iptables -S` text: no process started, no parsing of a
/// format meant for people. iptables-nft keeps `-m comment --comment X` either as an xt "comment"
/// match (1.8.9: its xt_comment_info, a NUL-terminated char[256]) or as the rule's userdata
/// comment (later versions, and nft's own `comment "X"`); both are read. Rules iptables-legacy made
/// are not in nf_tables at all: VNet only looks for its own rules where the FORWARD policy was
/// found in nf_tables, so the two agree.
/// </summary>
internal static class IptablesComments
{
    private const ushort SubsysNftables = 10, MsgNewRule = 6, MsgGetRule = 7;
    private const ushort RuleTable = 1, RuleChain = 2, RuleExpressions = 4, RuleUserdata = 7;
    private const ushort ListElem = 1, ExprName = 1, ExprData = 2, MatchName = 1, MatchInfo = 3;

    /// <summary>Every comment on the rules of <paramref name="chain"/> in table <paramref name="table"/> of a family.</summary>
    public static List<string> Read(NetContext ctx, string? ns, byte family, string table, string chain)
    {
        var req = new NetlinkWriter((ushort)(SubsysNftables << 8 | MsgGetRule), Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(4)[0] = family; // nfgenmsg: family, version 0, resource id 0
        req.AttrString(RuleTable, table);
        req.AttrString(RuleChain, chain);
        var comments = new List<string>();
        foreach (var m in ctx.NetfilterSocket(ns).Dump(req, $"list the rules of chain {chain}", chain))
        {
            if (m.Type != (SubsysNftables << 8 | MsgNewRule)) continue;
            var rule = m.Attributes(4);
            // The kernel filters a dump by table and chain only when asked with both; check anyway.
            if (rule.String(RuleTable) != table || rule.String(RuleChain) != chain) continue;
            if (rule.Find(RuleUserdata, out var udata) && NftUserdata.Comment(udata.Span) is string u) comments.Add(u);
            foreach (var elem in rule.Nested(RuleExpressions)?.FindAll(ListElem) ?? Enumerable.Empty<ReadOnlyMemory<byte>>())
            {
                var expr = AttributeSet.Parse(elem);
                if (expr.String(ExprName) != "match") continue;
                var data = expr.Nested(ExprData);
                if (data?.String(MatchName) == "comment" && data.String(MatchInfo) is { Length: > 0 } c) comments.Add(c);
            }
        }
        return comments;
    }

}
