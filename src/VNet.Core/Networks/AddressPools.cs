using System.Globalization;

namespace VNet.Core.Networks;

/// <summary>A pool subnets are cut from when a network is made without -Subnet (Docker's default-address-pools).</summary>
public sealed record AddressPool(IPPrefix Base, int Size)
{
    public override string ToString() => $"base={SubnetMath.Text(Base)},size={Size}";
}

/// <summary>
/// The default address pools: from $VNET_DEFAULT_ADDRESS_POOLS, else the host setting file
/// {config}/default-address-pools (/etc/vnet), else Docker's local pools. Both are written the way
/// Docker's --default-address-pool flag is, one pool per entry: `base=198.18.0.0/15,size=24`,
/// entries separated by ';' or new lines ('#' starts a comment in the file). Tests, demos and
/// benchmarks always set them to documentation ranges or 198.18.0.0/15.
/// </summary>
public static class AddressPools
{
    public const string EnvVar = "VNET_DEFAULT_ADDRESS_POOLS";
    public static string ConfigFile => Path.Combine(StateRoots.Config, "default-address-pools");

    /// <summary>Docker's built-in local pools (used only when neither the variable nor the file says otherwise).</summary>
    private static readonly string BuiltIn = "base=172.17.0.0/16,size=16;base=172.18.0.0/16,size=16;base=172.19.0.0/16,size=16;" +
        "base=172.20.0.0/14,size=16;base=172.24.0.0/14,size=16;base=172.28.0.0/14,size=16;base=192.168.0.0/16,size=20";

    /// <summary>The pools in effect and where they came from.</summary>
    public static (IReadOnlyList<AddressPool> Pools, string Source) Load()
    {
        string? env = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrWhiteSpace(env)) return (Parse(env, "$" + EnvVar), "$" + EnvVar);
        if (File.Exists(ConfigFile))
        {
            string text = string.Join(";", File.ReadAllLines(ConfigFile).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0));
            if (text.Length > 0) return (Parse(text, ConfigFile), ConfigFile);
        }
        return (Parse(BuiltIn, "built-in"), "the built-in default (Docker's local pools)");
    }

    /// <summary>Parses `base=CIDR,size=N` entries separated by ';' or new lines; an error names the entry and where it was read.</summary>
    public static List<AddressPool> Parse(string text, string where)
    {
        var pools = new List<AddressPool>();
        foreach (var raw in text.Split(new[] { ';', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? b = null, s = null;
            foreach (var kv in raw.Split(',', StringSplitOptions.TrimEntries))
            {
                var parts = kv.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2) throw Messages.Error("InvalidAddressPool", VNetErrorCategory.InvalidArgument, raw, raw, where);
                if (parts[0] == "base") b = parts[1];
                else if (parts[0] == "size") s = parts[1];
                else throw Messages.Error("InvalidAddressPool", VNetErrorCategory.InvalidArgument, raw, raw, where);
            }
            IPPrefix p;
            try { p = Validation.Cidr(b, requirePrefix: true); }
            catch (VNetException) { throw Messages.Error("InvalidAddressPool", VNetErrorCategory.InvalidArgument, raw, raw, where); }
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < p.PrefixLength || size > (p.IsIPv6 ? 124 : 30))
                throw Messages.Error("InvalidAddressPool", VNetErrorCategory.InvalidArgument, raw, raw, where);
            pools.Add(new AddressPool(new IPPrefix(p.Network(), p.PrefixLength), size));
        }
        return pools;
    }

    /// <summary>The first subnet of a family, cut from the pools in order, that overlaps none of <paramref name="taken"/>.</summary>
    public static IPPrefix? Pick(IEnumerable<AddressPool> pools, IReadOnlyCollection<IPPrefix> taken, bool ipv6 = false)
    {
        foreach (var pool in pools.Where(p => p.Base.IsIPv6 == ipv6))
        {
            var (first, last) = SubnetMath.Bounds(pool.Base);
            int bits = pool.Base.MaxPrefix - pool.Size;
            UInt128 step = UInt128.One << bits;
            // A pool has at most 2^(size - base) subnets; stop after a generous number of tries.
            int tries = 0;
            for (UInt128 n = first; n <= last && n >= first && tries < 1 << 16; n += step, tries++)
            {
                var candidate = new IPPrefix(SubnetMath.ToAddress(n, pool.Base.Address.AddressFamily), pool.Size);
                if (!taken.Any(t => SubnetMath.Overlaps(t, candidate))) return candidate;
            }
        }
        return null;
    }
}
