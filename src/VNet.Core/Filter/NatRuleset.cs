using System.Net;
using System.Text.Json.Nodes;
using static VNet.Core.Filter.NftJson;

namespace VNet.Core.Filter;

/// <summary>
/// Builds the commands of one libnftables transaction on VNet's table (`table inet vnet`, one per
/// namespace), as JSON: the skeleton (table, maps, sets, chains and base rules) whenever the table
/// is missing, masquerade/SNAT rules, the hairpin and isolation sets. Callers hold the namespace's
/// lock (see NftablesLock) while they decide and commit, so nothing is made twice. The publish
/// maps' elements are not written here but over nfnetlink (NftSetElements, see NatService.Commit).
///
/// Published ports live in two maps each, one to the target address (with counters and the rule's
/// id as comment) and one to the target port, looked up with the same key in one dnat statement:
/// libnftables 1.0.6's JSON parser cannot declare a map whose data is a concatenation (address .
/// port), and crashes on a dnat through one, so the address and the port are looked up apart.
/// </summary>
internal sealed class NatRuleset
{
    public const string Family = "inet";
    public const string Table = "vnet";
    private static readonly string[] Protos = { "tcp", "udp" };

    public JsonArray Commands { get; } = new();
    public bool IsEmpty => Commands.Count == 0;

    private static JsonObject Obj(string name, JsonObject? more = null) => In(Family, Table, name, more);

    private void Add(string kind, JsonObject body) => Commands.Add(Cmd("add", kind, body));

    /// <summary>The table and everything VNet's rules hang on, for both address families.</summary>
    public NatRuleset Skeleton()
    {
        Commands.Add(Cmd("add", "table", new JsonObject { ["family"] = Family, ["name"] = Table }));
        foreach (bool v6 in new[] { false, true })
        {
            string addr = v6 ? "ipv6_addr" : "ipv4_addr";
            foreach (var proto in Protos)
                foreach (bool byHost in new[] { false, true })
                {
                    JsonNode Key() => byHost ? new JsonArray(addr, "inet_service") : JsonValue.Create("inet_service")!;
                    Add("map", Obj(NatIds.AddressMap(v6, proto, byHost), new JsonObject
                    {
                        ["type"] = Key(), ["map"] = addr, ["stmt"] = new JsonArray(Stmt("counter")),
                    }));
                    Add("map", Obj(NatIds.PortMap(v6, proto, byHost), new JsonObject { ["type"] = Key(), ["map"] = "inet_service" }));
                }
            Add("set", Obj(Hairpin(v6), new JsonObject { ["type"] = new JsonArray("ifname", addr), ["flags"] = new JsonArray("interval") }));
        }
        Add("set", Obj("isolated", new JsonObject { ["type"] = "ifname" }));
        Add("set", Obj("isolated_pairs", new JsonObject { ["type"] = new JsonArray("ifname", "ifname") }));
        Chain("prerouting", "nat", "prerouting", -100);
        Chain("output", "nat", "output", -100);
        Chain("postrouting", "nat", "postrouting", 100);
        Chain("forward", "filter", "forward", 0);
        foreach (bool v6 in new[] { false, true })
        {
            string l3 = v6 ? "ip6" : "ip";
            var family = Match(Meta("nfproto"), v6 ? "ipv6" : "ipv4");
            foreach (var proto in Protos)
                foreach (string chain in new[] { "prerouting", "output" })
                {
                    // Published ports: to a given host address first, then to any local address (as `docker run -p`).
                    var byHostKey = Concat(Payload(l3, "daddr"), Payload(proto, "dport"));
                    Rule(chain, null, family.DeepClone(), Dnat(l3, byHostKey, NatIds.AddressMap(v6, proto, true), NatIds.PortMap(v6, proto, true)));
                    var exprs = new List<JsonNode> { family.DeepClone() };
                    // The host's own connections to a published port, except over loopback.
                    if (chain == "output")
                        exprs.Add(Match(Payload(l3, "daddr"), v6 ? (JsonNode)"::1" : Prefix(new IPPrefix(IPAddress.Parse("127.0.0.0"), 8)), "!="));
                    exprs.Add(Match(new JsonObject { ["fib"] = new JsonObject { ["result"] = "type", ["flags"] = new JsonArray("daddr") } }, "local"));
                    exprs.Add(Dnat(l3, Payload(proto, "dport"), NatIds.AddressMap(v6, proto, false), NatIds.PortMap(v6, proto, false)));
                    Rule(chain, null, exprs.ToArray());
                }
            // Hairpin: a container reaching a published port of a neighbour on its own bridge gets the
            // reply through the host, so its source is masqueraded there.
            Rule("postrouting", "hairpin",
                Match(new JsonObject { ["ct"] = new JsonObject { ["key"] = "status" } }, "dnat", "in"),
                Match(Concat(Meta("oifname"), Payload(l3, "saddr")), "@" + Hairpin(v6)),
                Stmt("counter"), Stmt("masquerade"));
        }
        // Isolation between isolated bridges (Docker's DOCKER-ISOLATION-STAGE-1/2), both families.
        Rule("forward", "isolation", Match(Concat(Meta("iifname"), Meta("oifname")), "@isolated_pairs"), Stmt("counter"), Stmt("drop"));
        return this;
    }

    public static string Hairpin(bool v6) => v6 ? "hairpin6" : "hairpin";

    private void Chain(string name, string type, string hook, int prio) =>
        Add("chain", Obj(name, new JsonObject { ["type"] = type, ["hook"] = hook, ["prio"] = prio, ["policy"] = "accept" }));

    private static JsonObject Dnat(string l3, JsonNode key, string addrMap, string portMap) => new()
    {
        ["dnat"] = new JsonObject { ["family"] = l3, ["addr"] = Map(key, addrMap), ["port"] = Map(key.DeepClone(), portMap) },
    };

    private void Rule(string chain, string? id, params JsonNode[] exprs)
    {
        var body = new JsonObject { ["family"] = Family, ["table"] = Table, ["chain"] = chain, ["expr"] = new JsonArray(exprs) };
        if (id != null) body["comment"] = NatIds.Tag + id;
        Add("rule", body);
    }

    /// <summary>`ip saddr SRC ip daddr != SRC [oifname IF] counter masquerade|snat to ADDR`.</summary>
    public NatRuleset SourceNat(NatPlan p)
    {
        string l3 = p.V6 ? "ip6" : "ip";
        var exprs = new List<JsonNode>
        {
            Match(Payload(l3, "saddr"), Prefix(p.Source!.Value)),
            Match(Payload(l3, "daddr"), Prefix(p.Source!.Value), "!="),
        };
        if (p.OutInterface != null) exprs.Add(Match(Meta("oifname"), p.OutInterface));
        exprs.Add(Stmt("counter"));
        exprs.Add(p.ToAddress != null
            ? new JsonObject { ["snat"] = new JsonObject { ["family"] = l3, ["addr"] = p.ToAddress.ToString() } }
            : Stmt("masquerade"));
        Rule("postrouting", p.Id, exprs.ToArray());
        return this;
    }

    /// <summary>The hairpin sets, rebuilt from (interface, connected subnet) pairs.</summary>
    public NatRuleset Hairpins(IEnumerable<(string Interface, IPPrefix Subnet)> pairs)
    {
        var list = pairs.Distinct().ToList();
        foreach (bool v6 in new[] { false, true })
        {
            Commands.Add(Cmd("flush", "set", Obj(Hairpin(v6))));
            var elems = list.Where(e => e.Subnet.IsIPv6 == v6).Select(e => (JsonNode)Concat(e.Interface, Prefix(e.Subnet))).ToArray();
            if (elems.Length > 0) Add("element", Obj(Hairpin(v6), new JsonObject { ["elem"] = new JsonArray(elems) }));
        }
        return this;
    }

    /// <summary>The isolation sets, rebuilt: the isolated bridges and every ordered pair of them.</summary>
    public NatRuleset Isolation(IReadOnlyCollection<string> bridges)
    {
        Commands.Add(Cmd("flush", "set", Obj("isolated")));
        Commands.Add(Cmd("flush", "set", Obj("isolated_pairs")));
        if (bridges.Count > 0)
            Add("element", Obj("isolated", new JsonObject { ["elem"] = new JsonArray(bridges.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray()) }));
        var pairs = bridges.SelectMany(a => bridges.Where(b => b != a).Select(b => (JsonNode)Concat(a, b))).ToArray();
        if (pairs.Length > 0) Add("element", Obj("isolated_pairs", new JsonObject { ["elem"] = new JsonArray(pairs) }));
        return this;
    }

    public NatRuleset DeleteRule(string chain, long handle)
    {
        Commands.Add(Cmd("delete", "rule", new JsonObject { ["family"] = Family, ["table"] = Table, ["chain"] = chain, ["handle"] = handle }));
        return this;
    }

    public NatRuleset DeleteTable()
    {
        Commands.Add(Cmd("delete", "table", new JsonObject { ["family"] = Family, ["name"] = Table }));
        return this;
    }

    public string ToJson() => Document(Commands);
}
