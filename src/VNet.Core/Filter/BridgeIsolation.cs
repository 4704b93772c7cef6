using System.Text.Json;

namespace VNet.Core.Filter;

/// <summary>
/// Isolated bridges (Docker's DOCKER-ISOLATION-STAGE-1/2): the set of them in VNet's table, and the
/// set of every ordered pair the forward chain drops between, for IPv4 and IPv6 alike (interfaces,
/// not addresses). Reading only; NatService changes them under the namespace's lock.
/// </summary>
internal sealed class BridgeIsolation
{
    private readonly NetContext _ctx;

    public BridgeIsolation(NetContext ctx) => _ctx = ctx;

    /// <summary>The bridges marked isolated in a namespace (none without VNet's table).</summary>
    public List<string> List(string? ns)
    {
        // Whether VNet's table exists is asked over nfnetlink: no libnftables needed to say "none".
        if (!NatService.TableExists(_ctx, ns)) return new List<string>();
        JsonElement set;
        try
        {
            set = Nftables.ListJson(_ctx, ns, $"list set {NatRuleset.Family} {NatRuleset.Table} isolated").FirstOrDefault(e => e.TryGetProperty("set", out _));
        }
        catch (VNetException e) when (e.ErrorId == "NftablesRejected" && !NatService.TableExists(_ctx, ns))
        {
            return new List<string>(); // removed meanwhile by another caller
        }
        if (set.ValueKind == JsonValueKind.Undefined || !set.GetProperty("set").TryGetProperty("elem", out var elems)) return new List<string>();
        return elems.EnumerateArray().Select(e => e.GetString() ?? "").Where(s => s.Length > 0).ToList();
    }

    /// <summary>The isolated set after adding or removing one bridge.</summary>
    public static List<string> With(IEnumerable<string> current, string bridge, bool isolated)
    {
        var next = new List<string>(current.Where(b => b != bridge));
        if (isolated) next.Add(bridge);
        return next;
    }
}
