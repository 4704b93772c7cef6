using System.Buffers.Binary;
using System.Net;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Routes;

/// <summary>A route as `ip route` shows it.</summary>
public sealed class NetRoute
{
    /// <summary>"default" or a CIDR.</summary>
    public string Destination { get; init; } = "";
    public string? Gateway { get; init; }
    public string? InterfaceName { get; init; }
    public int? InterfaceIndex { get; init; }
    public int Metric { get; init; }
    public string? PreferredSource { get; init; }
    public string AddressFamily { get; init; } = "";
    public string Protocol { get; init; } = "";
    public string Scope { get; init; } = "";
    public string Type { get; init; } = "";
    public int Table { get; init; }
    public string? Namespace { get; init; }
    public override string ToString() => Gateway != null ? $"{Destination} via {Gateway}" : $"{Destination} dev {InterfaceName}";
}

/// <summary>What <see cref="RouteService.Add"/> should create.</summary>
public sealed class RouteSpec
{
    public string Destination { get; set; } = "default";
    public string? Gateway { get; set; }
    public string? InterfaceName { get; set; }
    public int? Metric { get; set; }
    public string? Namespace { get; set; }
}

/// <summary>Routes in the main table (RTM_*ROUTE).</summary>
public sealed class RouteService
{
    private readonly NetContext _ctx;

    internal RouteService(NetContext ctx) => _ctx = ctx;

    internal static IPPrefix ParseDestination(string dest, IPAddress? gateway)
    {
        if (string.Equals(dest, "default", StringComparison.OrdinalIgnoreCase))
            return gateway?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? new IPPrefix(IPAddress.IPv6Any, 0) : new IPPrefix(IPAddress.Any, 0);
        var p = Validation.Cidr(dest);
        if (p.HasHostBits)
            throw Messages.Error("RouteDestinationHasHostBits", VNetErrorCategory.InvalidArgument, dest, dest, $"{p.Network()}/{p.PrefixLength}");
        return p;
    }

    /// <summary>
    /// The routes whose destination is <paramref name="destination"/>, however it is written:
    /// "default", 0.0.0.0/0 and ::/0 are the default routes (VNet shows them as "default"), and a
    /// prefix matches by its network (198.51.100.7/24 finds 198.51.100.0/24; 2001:DB8::/32 finds 2001:db8::/32).
    /// </summary>
    public List<NetRoute> Find(string destination, string? ns = null, string? family = null, bool allTables = false)
    {
        var (want, wantFamily) = Canonical(destination);
        if (wantFamily != null && family != null && wantFamily != family) return new List<NetRoute>();
        return List(ns, wantFamily ?? family, allTables).Where(r => r.Destination == want).ToList();
    }

    /// <summary>"default" or network/len as List writes it, with the family it implies (null: both, for "default").</summary>
    internal static (string Destination, string? Family) Canonical(string destination)
    {
        if (string.Equals(destination.Trim(), "default", StringComparison.OrdinalIgnoreCase)) return ("default", null);
        var p = Validation.Cidr(destination);
        string family = p.IsIPv6 ? "IPv6" : "IPv4";
        return p.PrefixLength == 0 ? ("default", family) : ($"{p.Network()}/{p.PrefixLength}", family);
    }

    /// <summary>
    /// For a re-run (-Force): the route already there that <paramref name="spec"/> describes, null
    /// when there is none; ExistsDifferently, naming the difference, when the destination (and
    /// metric, which together are what the kernel keys on) is taken by a route of other settings.
    /// </summary>
    public NetRoute? FindExisting(RouteSpec spec)
    {
        var gw = spec.Gateway != null ? Validation.Address(spec.Gateway, "Gateway") : null;
        var dst = ParseDestination(spec.Destination, gw);
        string want = dst.PrefixLength == 0 ? "default" : dst.ToString();
        var same = List(spec.Namespace, dst.IsIPv6 ? "IPv6" : "IPv4")
            .Where(r => r.Destination == want && r.Type == "unicast" && (spec.Metric == null || r.Metric == spec.Metric)).ToList();
        if (same.Count == 0) return null;
        foreach (var r in same)
        {
            if ((gw == null || r.Gateway == gw.ToString()) && (spec.InterfaceName == null || r.InterfaceName == spec.InterfaceName)) return r;
        }
        var first = same[0];
        var diffs = new List<string>();
        if (gw != null && first.Gateway != gw.ToString()) diffs.Add($"gateway {first.Gateway ?? "(none, on-link)"}, not {gw}");
        if (spec.InterfaceName != null && first.InterfaceName != spec.InterfaceName) diffs.Add($"interface {first.InterfaceName}, not {spec.InterfaceName}");
        throw Messages.Error("ExistsDifferently", VNetErrorCategory.ResourceExists, spec.Destination,
            "Route", want, "in " + LinkText(spec.Namespace), string.Join("; ", diffs));
    }

    public NetRoute Add(RouteSpec spec)
    {
        var gw = spec.Gateway != null ? Validation.Address(spec.Gateway, "Gateway") : null;
        var dst = ParseDestination(spec.Destination, gw);
        if (gw != null && gw.AddressFamily != dst.Address.AddressFamily)
            throw Messages.Error("AddressFamilyMismatch", VNetErrorCategory.InvalidArgument, spec.Gateway, spec.Gateway, spec.Destination);
        if (gw == null && spec.InterfaceName == null)
            throw Messages.Error("RouteNeedsGatewayOrInterface", VNetErrorCategory.InvalidArgument, spec.Destination, spec.Destination);
        if (spec.Metric is int metric && metric < 0)
            throw Messages.Error("InvalidMetric", VNetErrorCategory.InvalidArgument, metric, metric);
        int? oif = spec.InterfaceName != null ? _ctx.Links.IndexOf(spec.InterfaceName, spec.Namespace) : null;
        var req = Build(Rtm.NEWROUTE, Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_EXCL, dst, gw, oif, spec.Metric);
        try
        {
            _ctx.Socket(spec.Namespace).Request(req, $"add route {spec.Destination}", spec.Destination);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST)
        {
            throw Messages.Error("RouteExists", VNetErrorCategory.ResourceExists, spec.Destination, spec.Destination, LinkText(spec.Namespace));
        }
        catch (VNetException e) when (e.Errno == Sys.ENETUNREACH)
        {
            throw new VNetException("GatewayUnreachable", VNetErrorCategory.InvalidArgument,
                Messages.Format("GatewayUnreachable", spec.Gateway, e.KernelMessage ?? e.Message), spec.Gateway, e.Errno, e.KernelMessage);
        }
        string want = dst.PrefixLength == 0 ? "default" : dst.ToString();
        return List(spec.Namespace, dst.IsIPv6 ? "IPv6" : "IPv4").FirstOrDefault(r => r.Destination == want && (spec.Metric == null || r.Metric == spec.Metric) &&
                   (gw == null || r.Gateway == gw.ToString()))
            ?? new NetRoute { Destination = want, Gateway = gw?.ToString(), InterfaceName = spec.InterfaceName, Namespace = spec.Namespace };
    }

    /// <summary>Removes matching routes; false when none matched (strict: RouteNotFound).</summary>
    public bool Remove(RouteSpec spec, bool strict = false)
    {
        var gw = spec.Gateway != null ? Validation.Address(spec.Gateway, "Gateway") : null;
        var dst = ParseDestination(spec.Destination, gw);
        // The same refusal as Add: such a route cannot exist, and "nothing matched" would hide the typo.
        if (gw != null && gw.AddressFamily != dst.Address.AddressFamily)
            throw Messages.Error("AddressFamilyMismatch", VNetErrorCategory.InvalidArgument, spec.Gateway, spec.Gateway, spec.Destination);
        string want = dst.PrefixLength == 0 ? "default" : dst.ToString();
        var matches = List(spec.Namespace).Where(r => r.Destination == want && r.Table == Rta.TABLE_MAIN &&
            r.AddressFamily == (dst.IsIPv6 ? "IPv6" : "IPv4") &&
            (gw == null || r.Gateway == gw.ToString()) &&
            (spec.InterfaceName == null || r.InterfaceName == spec.InterfaceName) &&
            (spec.Metric == null || r.Metric == spec.Metric)).ToList();
        if (matches.Count == 0)
        {
            if (strict) throw Messages.Error("RouteNotFound", VNetErrorCategory.ObjectNotFound, spec.Destination, spec.Destination, LinkText(spec.Namespace));
            return false;
        }
        foreach (var r in matches)
        {
            var req = Build(Rtm.DELROUTE, Nl.F_REQUEST | Nl.F_ACK, dst,
                r.Gateway != null ? IPAddress.Parse(r.Gateway) : null, r.InterfaceIndex, r.Metric);
            try
            {
                _ctx.Socket(spec.Namespace).Request(req, $"remove route {want}", spec.Destination);
            }
            catch (VNetException e) when (e.Errno == Sys.ESRCH)
            {
                // Gone meanwhile (its interface went down): that is what was asked.
            }
        }
        return true;
    }

    private static string LinkText(string? ns) => Links.LinkService.NsText(ns);

    private static NetlinkWriter Build(ushort type, ushort flags, IPPrefix dst, IPAddress? gw, int? oif, int? metric)
    {
        var req = new NetlinkWriter(type, flags);
        var rtm = req.Reserve(Rta.RtMsgLength);
        rtm[0] = dst.IsIPv6 ? AddressFamily.INET6 : AddressFamily.INET;
        rtm[1] = (byte)dst.PrefixLength;
        rtm[4] = Rta.TABLE_MAIN;
        rtm[5] = type == Rtm.NEWROUTE ? Rta.PROT_STATIC : (byte)0;
        rtm[6] = gw == null && oif != null && type == Rtm.NEWROUTE ? Rta.SCOPE_LINK : Rta.SCOPE_UNIVERSE;
        rtm[7] = Rta.RTN_UNICAST;
        if (dst.PrefixLength > 0) req.Attr(Rta.DST, dst.Address.GetAddressBytes());
        if (gw != null) req.Attr(Rta.GATEWAY, gw.GetAddressBytes());
        if (oif is int i) req.AttrU32(Rta.OIF, (uint)i);
        if (metric is int m) req.AttrU32(Rta.PRIORITY, (uint)m);
        req.AttrU32(Rta.TABLE, Rta.TABLE_MAIN);
        return req;
    }

    /// <summary>Routes of the main table (all tables with allTables), IPv4 and IPv6 unless family is given.</summary>
    public List<NetRoute> List(string? ns = null, string? family = null, bool allTables = false)
    {
        var links = _ctx.Links.List(ns).ToDictionary(l => l.Index, l => l.Name);
        var req = new NetlinkWriter(Rtm.GETROUTE, Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(Rta.RtMsgLength)[0] = family switch { "IPv4" => AddressFamily.INET, "IPv6" => AddressFamily.INET6, _ => AddressFamily.UNSPEC };
        var result = new List<NetRoute>();
        foreach (var m in _ctx.Socket(ns).Dump(req, "list routes", ns))
        {
            if (m.Type != Rtm.NEWROUTE) continue;
            var rtm = m.Fixed(Rta.RtMsgLength);
            var a = m.Attributes(Rta.RtMsgLength);
            int table = (int)(a.U32(Rta.TABLE) ?? rtm[4]);
            if (!allTables && table != Rta.TABLE_MAIN) continue;
            bool v6 = rtm[0] == AddressFamily.INET6;
            if (v6 && rtm[7] == Rta.RTN_MULTICAST) continue;
            var dst = a.Address(Rta.DST);
            int plen = rtm[1];
            int? oif = a.S32(Rta.OIF);
            result.Add(new NetRoute
            {
                Destination = plen == 0 && dst == null ? "default" : $"{dst ?? (v6 ? IPAddress.IPv6Any : IPAddress.Any)}/{plen}",
                Gateway = a.Address(Rta.GATEWAY)?.ToString(),
                InterfaceIndex = oif,
                InterfaceName = oif is int o ? (links.TryGetValue(o, out var n) ? n : o.ToString()) : null,
                Metric = (int)(a.U32(Rta.PRIORITY) ?? 0),
                PreferredSource = a.Address(Rta.PREFSRC)?.ToString(),
                AddressFamily = v6 ? "IPv6" : "IPv4",
                Protocol = rtm[5] switch { 2 => "kernel", 3 => "boot", 4 => "static", 16 => "dhcp", 186 => "bgp", 188 => "ospf", _ => rtm[5].ToString() },
                Scope = rtm[6] switch { 0 => "global", 253 => "link", 254 => "host", 200 => "site", _ => rtm[6].ToString() },
                Type = rtm[7] switch { 1 => "unicast", 2 => "local", 3 => "broadcast", 6 => "blackhole", 7 => "unreachable", 8 => "prohibit", _ => rtm[7].ToString() },
                Table = table,
                Namespace = ns,
            });
        }
        return result;
    }
}
