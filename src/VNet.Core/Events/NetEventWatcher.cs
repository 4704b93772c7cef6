using System.Buffers.Binary;
using System.Diagnostics;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Namespaces;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Events;

/// <summary>What to watch and for how long.</summary>
public sealed class WatchSpec
{
    /// <summary>Namespaces to watch (null or "" is the caller's own); none means the caller's own only.</summary>
    public IReadOnlyList<string?>? Namespaces { get; set; }
    /// <summary>Link, Address, Route, Neighbour, Fdb; none means all.</summary>
    public IReadOnlyList<string>? Kinds { get; set; }
    /// <summary>Stop after this long; 0 or less: until cancelled.</summary>
    public int TimeoutMs { get; set; }
    /// <summary>Stop after this many events; 0 or less: no limit.</summary>
    public int Count { get; set; }
    /// <summary>Called once every socket is listening: from then on no change is missed (tests wait for it before changing anything).</summary>
    public Action? Listening { get; set; }
}

/// <summary>
/// `ip monitor` and `conntrack -E` as streams of objects: one netlink socket per namespace, bound to
/// the multicast groups asked for and opened inside that namespace (through the namespace thread),
/// all read by one poll on the caller's thread, so events of several namespaces come in one stream in
/// the order they arrive. The enumeration ends at the time limit, the count, or when the token is
/// cancelled (Ctrl+C), within a fraction of a second; the sockets are closed then.
/// </summary>
public sealed class NetEventWatcher
{
    public static readonly string[] AllKinds = { "Link", "Address", "Route", "Neighbour", "Fdb" };

    // Legacy rtnetlink group bits (RTMGRP_*): all the groups needed fit below 32.
    private const uint GrpLink = 0x1, GrpNeigh = 0x4, GrpIPv4Addr = 0x10, GrpIPv4Route = 0x40, GrpIPv6Addr = 0x100, GrpIPv6Route = 0x400;
    // ctnetlink groups NFNLGRP_CONNTRACK_NEW, _UPDATE, _DESTROY (1, 2, 3) as bits.
    private const uint GrpConntrack = 0x7;
    private const int PollSliceMs = 100;

    private readonly NetContext _ctx;

    public NetEventWatcher(NetContext ctx) => _ctx = ctx;

    /// <summary>Checks the kinds before anything is opened.</summary>
    public static List<string> CheckKinds(IEnumerable<string>? kinds)
    {
        var result = new List<string>();
        foreach (var k in kinds ?? AllKinds)
        {
            var known = AllKinds.FirstOrDefault(a => string.Equals(a, k, StringComparison.OrdinalIgnoreCase))
                ?? throw Messages.Error("InvalidEventKind", VNetErrorCategory.InvalidArgument, k, k);
            if (!result.Contains(known)) result.Add(known);
        }
        return result;
    }

    public IEnumerable<NetEvent> Watch(WatchSpec spec, CancellationToken cancel = default)
    {
        var kinds = CheckKinds(spec.Kinds);
        uint groups = 0;
        if (kinds.Contains("Link")) groups |= GrpLink;
        if (kinds.Contains("Address")) groups |= GrpIPv4Addr | GrpIPv6Addr;
        if (kinds.Contains("Route")) groups |= GrpIPv4Route | GrpIPv6Route;
        if (kinds.Contains("Neighbour") || kinds.Contains("Fdb")) groups |= GrpNeigh;
        var names = new Dictionary<string, Dictionary<int, string>>(StringComparer.Ordinal);
        // Links that existed or were announced: a NEWLINK for one of them is a change, else a new link.
        var known = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        int taken = 0;
        foreach (var (ns, m) in Stream(spec, Sys.NETLINK_ROUTE, groups, ns =>
                 // Names of the links there, to name the interface of address, route and neighbour events.
                 {
                     names[ns ?? ""] = _ctx.Links.List(ns).ToDictionary(l => l.Index, l => l.Name);
                     known[ns ?? ""] = names[ns ?? ""].Keys.ToHashSet();
                 }, cancel))
        {
            if (m == null)
            {
                yield return Lost(ns);
                if (spec.Count > 0 && ++taken >= spec.Count) yield break;
                continue;
            }
            var e = Parse(m.Value, ns, names[ns ?? ""], known[ns ?? ""], kinds);
            if (e == null) continue;
            yield return e;
            if (spec.Count > 0 && ++taken >= spec.Count) yield break;
        }
    }

    /// <summary>Conntrack events (`conntrack -E`): new, updated and destroyed connections, filtered like List.</summary>
    public IEnumerable<NetConntrackEntry> WatchConntrack(WatchSpec spec, string? source = null, string? destination = null, CancellationToken cancel = default)
    {
        var src = source != null ? Validation.Address(source, "Source") : null;
        var dst = destination != null ? Validation.Address(destination, "Destination") : null;
        int taken = 0;
        foreach (var (ns, m) in Stream(spec, Sys.NETLINK_NETFILTER, GrpConntrack, null, cancel))
        {
            if (m == null) continue; // overrun: conntrack -E says "no buffer space" and carries on
            var entry = ConntrackService.Parse(m.Value, ns, src, dst, isEvent: true);
            if (entry == null) continue;
            yield return entry;
            if (spec.Count > 0 && ++taken >= spec.Count) yield break;
        }
    }

    /// <summary>
    /// The shared loop: opens one socket per namespace inside it, then yields every message as it
    /// comes (null for a lost batch), until the time limit or cancellation. The count is of what the
    /// callers keep (messages of other kinds are dropped), so they check it; stopping the enumeration
    /// closes the sockets.
    /// </summary>
    private IEnumerable<(string? Ns, NetlinkMessage? Msg)> Stream(WatchSpec spec, int protocol, uint groups, Action<string?>? prepare, CancellationToken cancel)
    {
        var list = spec.Namespaces is { Count: > 0 } l ? l.Select(n => string.IsNullOrEmpty(n) ? null : n).Distinct().ToList() : new List<string?> { null };
        var sockets = new List<(string? Ns, NetlinkSocket Sock)>();
        try
        {
            foreach (var ns in list)
            {
                var h = _ctx.Resolve(ns);
                var s = NamespaceThread.RunIn(h, () => new NetlinkSocket(protocol, groups));
                sockets.Add((ns, s));
            }
            // Bound before the names are read: a link made in between is seen by one or the other.
            foreach (var ns in list) prepare?.Invoke(ns);
            spec.Listening?.Invoke();
            var fds = sockets.Select(s => s.Sock.Fd).ToList();
            var clock = Stopwatch.StartNew();
            while (!cancel.IsCancellationRequested)
            {
                int wait = PollSliceMs;
                if (spec.TimeoutMs > 0)
                {
                    long left = spec.TimeoutMs - clock.ElapsedMilliseconds;
                    if (left <= 0) yield break;
                    wait = (int)Math.Min(wait, left);
                }
                foreach (int i in Sys.WaitAnyReadable(fds, wait))
                {
                    List<NetlinkMessage>? batch;
                    try { batch = sockets[i].Sock.ReceiveDatagram(); }
                    catch (SystemCallException e) when (e.Errno == Sys.ENOBUFS) { batch = null; }
                    if (batch == null)
                    {
                        yield return (sockets[i].Ns, null);
                        continue;
                    }
                    foreach (var m in batch)
                    {
                        if (m.Type is Nl.DONE or Nl.ERROR or Nl.NOOP) continue;
                        yield return (sockets[i].Ns, m);
                    }
                }
            }
        }
        finally
        {
            foreach (var (_, s) in sockets) s.Dispose();
        }
    }

    private static NetEvent Lost(string? ns) => new()
    {
        Time = DateTime.Now, Namespace = ns, Kind = "Lost", Action = "Lost",
        Text = "events were lost: the kernel's queue overflowed before they were read",
    };

    private void NetLinkOrNull(int index, string? ns, Dictionary<int, string> names)
    {
        try
        {
            if (_ctx.Links.TryGetByIndex(index, ns) is NetLink l) names[index] = l.Name;
        }
        catch (VNetException) { } // gone again already: the index is all there is to say
    }

    private static readonly string[] NudNames = { "incomplete", "reachable", "stale", "delay", "probe", "failed", "noarp", "permanent" };

    private NetEvent? Parse(NetlinkMessage m, string? ns, Dictionary<int, string> names, HashSet<int> known, List<string> kinds)
    {
        // An event can come before the one announcing its link (a new bridge's own FDB entry): ask.
        string Name(int index)
        {
            if (names.TryGetValue(index, out var n)) return n;
            NetLinkOrNull(index, ns, names);
            return names.TryGetValue(index, out n) ? n : $"if{index}";
        }
        var now = DateTime.Now;
        switch (m.Type)
        {
            case Rtm.NEWLINK:
            case Rtm.DELLINK:
            {
                if (!kinds.Contains("Link")) return null;
                var link = LinkService.Parse(m, ns);
                // A new index is a new link; a known one changed (up, down, renamed, moved to a bridge).
                string action = m.Type == Rtm.DELLINK ? "Removed" : known.Contains(link.Index) ? "Changed" : "Added";
                if (m.Type == Rtm.DELLINK) { names.Remove(link.Index); known.Remove(link.Index); }
                else { names[link.Index] = link.Name; known.Add(link.Index); }
                return new NetEvent
                {
                    Time = now, Namespace = ns, Kind = "Link", Action = action, InterfaceName = link.Name, InterfaceIndex = link.Index,
                    Type = link.Kind, State = link.State,
                    Text = $"{(action == "Removed" ? "Deleted " : "")}{link.Index}: {link.Name}: {link.Kind} {link.State}{(link.Master != null ? " master " + link.Master : "")}",
                };
            }
            case Rtm.NEWADDR:
            case Rtm.DELADDR:
            {
                if (!kinds.Contains("Address")) return null;
                var ifa = m.Fixed(Ifa.IfAddrMsgLength);
                int index = BinaryPrimitives.ReadInt32LittleEndian(ifa.Slice(4));
                var a = m.Attributes(Ifa.IfAddrMsgLength);
                var addr = a.Address(Ifa.LOCAL) ?? a.Address(Ifa.ADDRESS);
                string cidr = $"{addr}/{ifa[1]}";
                string action = m.Type == Rtm.DELADDR ? "Removed" : "Added";
                return new NetEvent
                {
                    Time = now, Namespace = ns, Kind = "Address", Action = action, InterfaceName = Name(index), InterfaceIndex = index,
                    Type = ifa[0] == AddressFamily.INET6 ? "IPv6" : "IPv4", Address = cidr,
                    Text = $"{(action == "Removed" ? "Deleted " : "")}{index}: {Name(index)} {(ifa[0] == AddressFamily.INET6 ? "inet6" : "inet")} {cidr}",
                };
            }
            case Rtm.NEWROUTE:
            case Rtm.DELROUTE:
            {
                if (!kinds.Contains("Route")) return null;
                var rtm = m.Fixed(Rta.RtMsgLength);
                var a = m.Attributes(Rta.RtMsgLength);
                int table = (int)(a.U32(Rta.TABLE) ?? rtm[4]);
                if (table == Rta.TABLE_LOCAL) return null; // the kernel's own routes for local addresses
                bool v6 = rtm[0] == AddressFamily.INET6;
                if (v6 && rtm[7] == Rta.RTN_MULTICAST) return null;
                var dst = a.Address(Rta.DST);
                string dest = rtm[1] == 0 && dst == null ? "default" : $"{dst}/{rtm[1]}";
                int? oif = a.S32(Rta.OIF);
                string? gw = a.Address(Rta.GATEWAY)?.ToString();
                string action = m.Type == Rtm.DELROUTE ? "Removed" : "Added";
                return new NetEvent
                {
                    Time = now, Namespace = ns, Kind = "Route", Action = action, InterfaceName = oif is int o ? Name(o) : null, InterfaceIndex = oif,
                    Type = v6 ? "IPv6" : "IPv4", Address = dest, Via = gw,
                    Text = $"{(action == "Removed" ? "Deleted " : "")}{dest}{(gw != null ? " via " + gw : "")}{(oif is int o2 ? " dev " + Name(o2) : "")}",
                };
            }
            case Rtm.NEWNEIGH:
            case Rtm.DELNEIGH:
            {
                var nd = m.Fixed(Nda.NdMsgLength);
                bool fdb = nd[0] == AddressFamily.BRIDGE;
                if (!kinds.Contains(fdb ? "Fdb" : "Neighbour")) return null;
                int index = BinaryPrimitives.ReadInt32LittleEndian(nd.Slice(4));
                ushort st = BinaryPrimitives.ReadUInt16LittleEndian(nd.Slice(8));
                string state = string.Join(",", NudNames.Where((_, i) => (st & (1 << i)) != 0));
                var a = m.Attributes(Nda.NdMsgLength);
                var mac = a.Bytes(Nda.LLADDR);
                string? macText = mac is { Length: 6 } ? Validation.FormatMac(mac) : null;
                string action = m.Type == Rtm.DELNEIGH ? "Removed" : "Added";
                if (fdb)
                {
                    string? vtep = a.Address(Nda.DST)?.ToString();
                    return new NetEvent
                    {
                        Time = now, Namespace = ns, Kind = "Fdb", Action = action, InterfaceName = Name(index), InterfaceIndex = index,
                        Type = state, State = state, Address = macText, Via = vtep,
                        Text = $"{(action == "Removed" ? "Deleted " : "")}{macText} dev {Name(index)}{(vtep != null ? " dst " + vtep : "")} {state}",
                    };
                }
                string? ip = a.Address(Nda.DST)?.ToString();
                return new NetEvent
                {
                    Time = now, Namespace = ns, Kind = "Neighbour", Action = action, InterfaceName = Name(index), InterfaceIndex = index,
                    Type = state, State = state, Address = ip, Via = macText,
                    Text = $"{(action == "Removed" ? "Deleted " : "")}{ip} dev {Name(index)}{(macText != null ? " lladdr " + macText : "")} {state}",
                };
            }
        }
        return null;
    }
}
