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

    /// <summary>
    /// The bridges marked isolated in a namespace (none without VNet's table), read over nfnetlink
    /// (the set's keys are interface names, NUL-padded to IFNAMSIZ): no libnftables to say "none".
    /// </summary>
    public List<string> List(string? ns)
    {
        if (!NatService.TableExists(_ctx, ns)) return new List<string>();
        var elems = NftSetElements.Dump(_ctx.NetfilterSocket(ns), Nftables.FamilyInet, NatRuleset.Table, "isolated");
        if (elems == null) return new List<string>(); // removed meanwhile by another caller
        return elems.Select(e => Name(e.Key)).Where(s => s.Length > 0).ToList();
    }

    private static string Name(byte[] key)
    {
        int nul = Array.IndexOf(key, (byte)0);
        return System.Text.Encoding.UTF8.GetString(key, 0, nul >= 0 ? nul : key.Length);
    }

    /// <summary>The isolated set after adding or removing one bridge.</summary>
    public static List<string> With(IEnumerable<string> current, string bridge, bool isolated)
    {
        var next = new List<string>(current.Where(b => b != bridge));
        if (isolated) next.Add(bridge);
        return next;
    }
}
