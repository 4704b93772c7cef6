using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>
/// With an iptables FORWARD policy of DROP (what Docker sets), VNet's accepts in its own table do
/// not help: a drop in any base chain is final. So VNet puts accepts for its bridges only where
/// Docker documents user rules go (DOCKER-USER), or at the top of FORWARD without Docker, and takes
/// them out again when its bridges no longer need them. Never a global accept. Two kinds, each
/// tagged in its comment: "forward" (a bridge VNet's NAT or isolation serves) and "switch" (a
/// bridge's traffic between its own ports, which br_netfilter passes through FORWARD). The same for
/// IPv6 in ip6tables (Docker sets a DROP policy there too when it manages ip6tables).
/// </summary>
internal sealed class ForwardAccepts
{
    private readonly NetContext _ctx;

    public ForwardAccepts(NetContext ctx) => _ctx = ctx;

    /// <summary>Makes the "forward" accepts match <paramref name="bridges"/> (computed only when a DROP policy needs it).</summary>
    public void Reconcile(string? ns, Func<HashSet<string>> bridges, Diagnostics d)
    {
        HashSet<string>? wanted = null;
        foreach (bool v6 in Families)
        {
            var (chain, dropPolicy) = Policy(ns, v6);
            if (chain == null) continue;
            var want = dropPolicy ? wanted ??= bridges() : new HashSet<string>();
            var have = Existing(ns, v6, chain, "forward");
            foreach (var b in want.Where(b => !have.Contains(b)))
            {
                Iptables(ns, v6, ForwardRule("-I", chain, b, reply: true));
                Iptables(ns, v6, ForwardRule("-I", chain, b, reply: false));
                d.Notes.Add(Messages.Format("ForwardAcceptAdded", b, Where(chain, v6)));
            }
            foreach (var b in have.Where(b => !want.Contains(b)))
            {
                Iptables(ns, v6, ForwardRule("-D", chain, b, reply: true));
                Iptables(ns, v6, ForwardRule("-D", chain, b, reply: false));
                d.Notes.Add(Messages.Format("ForwardAcceptRemoved", b, Where(chain, v6)));
            }
        }
    }

    private static readonly bool[] Families = { false, true };

    /// <summary>A chain as the notes name it: "DOCKER-USER", or "DOCKER-USER (ip6tables)".</summary>
    private static string Where(string chain, bool v6) => v6 ? $"{chain} (ip6tables)" : chain;

    private static string[] ForwardRule(string op, string chain, string bridge, bool reply) => reply
        ? new[] { op, chain, "-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-m", "comment", "--comment", $"{NatIds.Tag}forward:{bridge}", "-j", "ACCEPT" }
        : new[] { op, chain, "-i", bridge, "-m", "comment", "--comment", $"{NatIds.Tag}forward:{bridge}", "-j", "ACCEPT" };

    /// <summary>
    /// Takes out the switching accepts of bridges that no longer exist and, given a bridge, makes
    /// sure it has one under a DROP policy.
    /// </summary>
    public void ReconcileSwitching(string? ns, string? bridge, Diagnostics d)
    {
        foreach (bool v6 in Families)
        {
            var (chain, dropPolicy) = Policy(ns, v6, quietWithoutNftables: true);
            if (chain == null) continue;
            var have = Existing(ns, v6, chain, "switch");
            if (have.Count > 0)
            {
                var existing = _ctx.Links.List(ns, kind: "bridge").Select(l => l.Name).ToHashSet();
                foreach (var gone in have.Where(b => b != bridge && !existing.Contains(b)))
                {
                    Iptables(ns, v6, SwitchRule("-D", chain, gone));
                    d.Notes.Add(Messages.Format("SwitchAcceptRemoved", gone, Where(chain, v6)));
                }
            }
            if (bridge == null || !dropPolicy || have.Contains(bridge)) continue;
            Iptables(ns, v6, SwitchRule("-I", chain, bridge));
            d.Notes.Add(Messages.Format("SwitchAcceptAdded", bridge, Where(chain, v6)));
        }
    }

    private static string[] SwitchRule(string op, string chain, string bridge) =>
        new[] { op, chain, "-i", bridge, "-o", bridge, "-m", "comment", "--comment", $"{NatIds.Tag}switch:{bridge}", "-j", "ACCEPT" };

    /// <summary>
    /// Where VNet's accepts go in a namespace's iptables filter table (DOCKER-USER where Docker made
    /// it, else FORWARD; null without a filter table) and whether FORWARD's policy is DROP.
    /// </summary>
    private (string? Chain, bool DropPolicy) Policy(string? ns, bool v6, bool quietWithoutNftables = false)
    {
        if (!Nftables.TableExists(_ctx, ns, v6 ? Nftables.FamilyIPv6 : Nftables.FamilyIPv4, "filter")) return (null, false);
        List<JsonElement> items;
        try { items = Nftables.ListJson(_ctx, ns, v6 ? "list table ip6 filter" : "list table ip filter"); }
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
    private HashSet<string> Existing(string? ns, bool v6, string chain, string kind)
    {
        // Read as data from nf_tables (Filter/IptablesComments.cs), where Policy found the chain.
        var set = new HashSet<string>(StringComparer.Ordinal);
        string tag = $"{NatIds.Tag}{kind}:";
        foreach (var comment in IptablesComments.Read(_ctx, ns, v6 ? Nftables.FamilyIPv6 : Nftables.FamilyIPv4, "filter", chain))
            if (comment.StartsWith(tag, StringComparison.Ordinal)) set.Add(comment[tag.Length..]);
        return set;
    }

    private (int, string) Iptables(string? ns, bool v6, params string[] args)
    {
        string tool = v6 ? "ip6tables" : "iptables";
        var (code, o, e) = _ctx.Namespaces.Run(ns, tool, new[] { "-w" }.Concat(args).ToArray());
        if (code != 0)
            throw new VNetException("IptablesRejected", VNetErrorCategory.InvalidOperation, Messages.Format("KernelError", tool + " " + string.Join(" ", args), e.Trim()), args);
        return (code, o);
    }
}
