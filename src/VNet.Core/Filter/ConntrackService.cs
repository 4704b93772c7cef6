using System.Net;
using VNet.Core.Namespaces;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>One tracked connection: what the first packet looked like and what a reply looks like (which shows NAT).</summary>
public sealed class NetConntrackEntry
{
    public string Protocol { get; init; } = "";
    public string Source { get; init; } = "";
    public string Destination { get; init; } = "";
    public int? SourcePort { get; init; }
    public int? DestinationPort { get; init; }
    public string ReplySource { get; init; } = "";
    public string ReplyDestination { get; init; } = "";
    public int? ReplySourcePort { get; init; }
    public int? ReplyDestinationPort { get; init; }
    public string? State { get; init; }
    public string[] Status { get; init; } = Array.Empty<string>();
    public bool SourceNat { get; init; }
    public bool DestinationNat { get; init; }
    public int? Timeout { get; init; }
    public string? Namespace { get; init; }
    /// <summary>With Get-NetConntrack -Watch: New, Update or Destroy (`conntrack -E`'s [NEW], [UPDATE], [DESTROY]); null in a listing.</summary>
    public string? Event { get; init; }
    public override string ToString() =>
        $"{Protocol} {Source}{(SourcePort != null ? ":" + SourcePort : "")} -> {Destination}{(DestinationPort != null ? ":" + DestinationPort : "")} | reply {ReplySource}{(ReplySourcePort != null ? ":" + ReplySourcePort : "")} -> {ReplyDestination}{(ReplyDestinationPort != null ? ":" + ReplyDestinationPort : "")}";
}

/// <summary>The conntrack table over ctnetlink (NETLINK_NETFILTER, IPCTNL_MSG_CT_GET), like `conntrack -L`.</summary>
public sealed class ConntrackService
{
    private const ushort CtGet = (1 << 8) | 1; // NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET
    private const ushort CtNew = (1 << 8) | 0;
    private const ushort CtDelete = (1 << 8) | 2;
    private static readonly string[] TcpStates = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2" };
    private readonly NetContext _ctx;

    internal ConntrackService(NetContext ctx) => _ctx = ctx;

    public List<NetConntrackEntry> List(string? ns = null, string? source = null, string? destination = null)
    {
        IPAddress? src = source != null ? Validation.Address(source, "Source") : null;
        IPAddress? dst = destination != null ? Validation.Address(destination, "Destination") : null;
        var sock = _ctx.NetfilterSocket(ns);
        var req = new NetlinkWriter(CtGet, Nl.F_REQUEST | Nl.F_DUMP);
        var g = req.Reserve(4);
        g[0] = AddressFamily.INET; // nfgenmsg: family, version 0, res_id 0
        var result = new List<NetConntrackEntry>();
        foreach (var m in sock.Dump(req, "list conntrack entries", ns))
            if (Parse(m, ns, src, dst) is NetConntrackEntry e) result.Add(e);
        return result;
    }

    /// <summary>
    /// One entry from a dump or an event (`conntrack -E`: IPCTNL_MSG_CT_NEW with NLM_F_CREATE for a new
    /// connection, without for an update, IPCTNL_MSG_CT_DELETE when it is destroyed); null when it does
    /// not match the filters.
    /// </summary>
    internal static NetConntrackEntry? Parse(NetlinkMessage m, string? ns, IPAddress? src, IPAddress? dst, bool isEvent = false)
    {
        if (m.Type != CtNew && m.Type != CtDelete) return null;
        var a = m.Attributes(4);
        var orig = Tuple(a.Nested(1));
        var reply = Tuple(a.Nested(2));
        if (orig.Src == null) return null;
        if (src != null && !orig.Src.Equals(src) && reply.Src?.Equals(src) != true) return null;
        if (dst != null && orig.Dst?.Equals(dst) != true && reply.Dst?.Equals(dst) != true) return null;
        uint status = a.Be32(3) ?? 0;
        var statusNames = new List<string>();
        if ((status & 0x2) != 0) statusNames.Add("SEEN_REPLY");
        if ((status & 0x4) != 0) statusNames.Add("ASSURED");
        if ((status & 0x10) != 0) statusNames.Add("SRC_NAT");
        if ((status & 0x20) != 0) statusNames.Add("DST_NAT");
        string? state = null;
        if (orig.Proto == 6 && a.Nested(4)?.Nested(1)?.U8(1) is byte st) state = st < TcpStates.Length ? TcpStates[st] : st.ToString();
        return new NetConntrackEntry
        {
            Protocol = orig.Proto switch { 6 => "tcp", 17 => "udp", 1 => "icmp", 58 => "icmpv6", _ => orig.Proto.ToString() },
            Source = orig.Src.ToString(), Destination = orig.Dst?.ToString() ?? "", SourcePort = orig.SPort, DestinationPort = orig.DPort,
            ReplySource = reply.Src?.ToString() ?? "", ReplyDestination = reply.Dst?.ToString() ?? "", ReplySourcePort = reply.SPort, ReplyDestinationPort = reply.DPort,
            State = state, Status = statusNames.ToArray(), SourceNat = (status & 0x10) != 0, DestinationNat = (status & 0x20) != 0,
            Timeout = (int?)a.Be32(7), Namespace = ns,
            Event = !isEvent ? null : m.Type == CtDelete ? "Destroy" : (m.Flags & Nl.F_CREATE) != 0 ? "New" : "Update",
        };
    }

    private static (IPAddress? Src, IPAddress? Dst, byte Proto, int? SPort, int? DPort) Tuple(AttributeSet? t)
    {
        if (t == null) return (null, null, 0, null, null);
        var ip = t.Nested(1);
        var proto = t.Nested(2);
        byte num = proto?.U8(1) ?? 0;
        bool ports = num is 6 or 17 or 132 or 33;
        return (ip?.Address(1) ?? ip?.Address(3), ip?.Address(2) ?? ip?.Address(4), num,
            ports ? proto?.Be16(2) : null, ports ? proto?.Be16(3) : null);
    }
}
