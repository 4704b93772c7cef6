using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using VNet.Core.Namespaces;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>One step of a traced packet: a table/chain/rule it passed, and the verdict there.</summary>
public sealed class NetTraceStep
{
    public int Step { get; init; }
    /// <summary>The kernel's id of the traced packet (one flow can show several packets).</summary>
    public uint TraceId { get; init; }
    public string Family { get; init; } = "";
    public string Table { get; init; } = "";
    public string Chain { get; init; } = "";
    /// <summary>rule, return (end of a regular chain) or policy (end of a base chain).</summary>
    public string Type { get; init; } = "";
    public long? RuleHandle { get; init; }
    public string? Rule { get; init; }
    public string Verdict { get; init; } = "";
    public string? InInterface { get; init; }
    public string? OutInterface { get; init; }
    public override string ToString() => $"{Family} {Table} {Chain} {Type} {Rule} => {Verdict}";
}

/// <summary>What flow to trace, and how to make it happen.</summary>
public sealed class TraceSpec
{
    public string? Namespace { get; set; }
    public string Protocol { get; set; } = "icmp";
    public string? Source { get; set; }
    public string? Destination { get; set; }
    public int? Port { get; set; }
    /// <summary>Send one probe (a ping, or a TCP/UDP packet to Port) from this namespace; otherwise wait for traffic.</summary>
    public string? SendFrom { get; set; }
    public int TimeoutMs { get; set; } = 3000;
    public int MaxSteps { get; set; } = 200;
}

/// <summary>
/// nftables tracing (what `iptables -t raw -j TRACE` gives, without raw rules or the kernel log):
/// a table of VNet's own marks the one flow with `meta nftrace set 1`, trace events are read from
/// netlink (NFNLGRP_NFTRACE), and each step is matched to its rule's text. The marking table is
/// removed afterwards, whatever happens.
/// </summary>
public sealed class TraceService
{
    public const string Table = "vnet-trace";
    private const ushort NftTrace = (10 << 8) | 17; // NFNL_SUBSYS_NFTABLES, NFT_MSG_TRACE
    private const uint NfnlGroupTrace = 9;
    private readonly NetContext _ctx;

    internal TraceService(NetContext ctx) => _ctx = ctx;

    public List<NetTraceStep> Trace(TraceSpec spec, CancellationToken cancel = default)
    {
        string proto = spec.Protocol.ToLowerInvariant();
        if (proto is not ("icmp" or "tcp" or "udp"))
            throw Messages.Error("InvalidProtocol", VNetErrorCategory.InvalidArgument, spec.Protocol, spec.Protocol);
        if (spec.Port is int port && (port < 1 || port > 65535))
            throw Messages.Error("InvalidPort", VNetErrorCategory.InvalidArgument, port, port);
        if (proto != "icmp" && spec.Port == null && spec.SendFrom != null)
            throw Messages.Error("TraceNeedsPort", VNetErrorCategory.InvalidArgument, spec.Protocol, spec.Protocol);
        var src = spec.Source != null ? Validation.Address(spec.Source, "Source") : null;
        var dst = spec.Destination != null ? Validation.Address(spec.Destination, "Destination") : null;
        if (spec.SendFrom != null && dst == null)
            throw Messages.Error("TraceNeedsDestination", VNetErrorCategory.InvalidArgument, spec.SendFrom, spec.SendFrom);

        var match = new StringBuilder();
        match.Append(proto == "icmp" ? "ip protocol icmp" : $"ip protocol {proto}");
        if (src != null) match.Append($" ip saddr {src}");
        if (dst != null) match.Append($" ip daddr {dst}");
        if (spec.Port is int p && proto != "icmp") match.Append($" {proto} dport {p}");
        string script = string.Join("\n",
            $"add table ip {Table}",
            $"add chain ip {Table} pre {{ type filter hook prerouting priority -350; policy accept; }}",
            $"add chain ip {Table} out {{ type filter hook output priority -350; policy accept; }}",
            $"add rule ip {Table} pre {match} meta nftrace set 1",
            $"add rule ip {Table} out {match} meta nftrace set 1");

        var h = _ctx.Resolve(spec.Namespace);
        using var events = NamespaceThread.RunIn(h, () => new NetlinkSocket(Native.Sys.NETLINK_NETFILTER, 1u << (int)(NfnlGroupTrace - 1)));
        Nftables.Run(_ctx, spec.Namespace, script, doing: "start a trace", target: match.ToString());
        var steps = new List<NetTraceStep>();
        try
        {
            var rules = _ctx.Ruleset.List(spec.Namespace).ToDictionary(r => (r.Family, r.Table, r.Chain, r.Handle), r => r.Rule);
            var links = _ctx.Links.List(spec.Namespace).ToDictionary(l => l.Index, l => l.Name);
            if (spec.SendFrom != null) Probe(spec.SendFrom, proto, dst!, spec.Port);
            var deadline = Stopwatch.StartNew();
            while (deadline.ElapsedMilliseconds < spec.TimeoutMs && steps.Count < spec.MaxSteps && !cancel.IsCancellationRequested)
            {
                int wait = (int)Math.Max(1, Math.Min(200, spec.TimeoutMs - deadline.ElapsedMilliseconds));
                var msgs = events.ReceiveDatagram(wait);
                if (msgs == null)
                {
                    // Quiet for a while after the probe's packets: the trace is complete.
                    if (spec.SendFrom != null && steps.Count > 0 && deadline.ElapsedMilliseconds > 500) break;
                    continue;
                }
                foreach (var m in msgs)
                {
                    if (ParseEvent(m, steps.Count + 1, rules, links) is { } step) steps.Add(step);
                }
            }
        }
        finally
        {
            // Always take the marking table away, even on error or cancel.
            try { Nftables.Run(_ctx, spec.Namespace, $"delete table ip {Table}", doing: "stop the trace"); }
            catch (VNetException) { }
        }
        // The packet-header events are not steps; number what remains 1..n.
        return steps.Where(s => s.Type != "packet").Select((s, i) => new NetTraceStep
        {
            Step = i + 1, TraceId = s.TraceId, Family = s.Family, Table = s.Table, Chain = s.Chain, Type = s.Type,
            RuleHandle = s.RuleHandle, Rule = s.Rule, Verdict = s.Verdict, InInterface = s.InInterface, OutInterface = s.OutInterface,
        }).ToList();
    }

    /// <summary>
    /// One NFT_MSG_TRACE event as a step (null for other messages and for VNet's own marking rule),
    /// with its rule's text and interface names looked up in what the caller read beforehand.
    /// </summary>
    internal static NetTraceStep? ParseEvent(NetlinkMessage m, int step,
        IReadOnlyDictionary<(string Family, string Table, string Chain, long Handle), string> rules, IReadOnlyDictionary<int, string> links)
    {
        if (m.Type != NftTrace) return null;
        var a = m.Attributes(4);
        string table = a.String(1) ?? "";
        if (table == Table) return null; // our own marking rule
        // The nfgenmsg header first: an event too short for it is malformed (found by fuzzing).
        byte fam = m.Fixed(4)[0];
        string family = fam switch { 2 => "ip", 10 => "ip6", 1 => "inet", 7 => "bridge", _ => fam.ToString() };
        string chain = a.String(2) ?? "";
        long? handle = a.Find(3, out var hv) && hv.Length >= 8 ? (long)BinaryPrimitives.ReadUInt64BigEndian(hv.Span) : null;
        uint type = a.Be32(4) ?? 0;
        int? code = a.Nested(5)?.Be32(1) is uint c ? unchecked((int)c) : null;
        string? jumpTo = a.Nested(5)?.String(2);
        uint? policy = a.Be32(16);
        string verdict = type == 1 ? Verdict(policy.HasValue ? (int)policy.Value : code ?? 1, null) + " (policy)" : Verdict(code, jumpTo);
        int? iif = (int?)a.Be32(10), oif = (int?)a.Be32(12);
        rules.TryGetValue((family, table, chain, handle ?? -1), out var text);
        return new NetTraceStep
        {
            Step = step, TraceId = a.Be32(6) ?? 0, Family = family, Table = table, Chain = chain,
            // A "rule" event without a rule handle is the one that opens a chain's trace and
            // carries the packet's headers (`nft monitor trace` prints it as "packet:").
            Type = type switch { 1 => "policy", 2 => "return", 3 when handle != null => "rule", _ => "packet" },
            RuleHandle = handle, Rule = text, Verdict = verdict,
            InInterface = iif is int i && links.TryGetValue(i, out var iname) ? iname : iif?.ToString(),
            OutInterface = oif is int o && links.TryGetValue(o, out var oname) ? oname : oif?.ToString(),
        };
    }

    private void Probe(string ns, string proto, IPAddress dst, int? port)
    {
        if (proto == "icmp") _ctx.Namespaces.Run(ns, "ping", "-c", "1", "-W", "1", dst.ToString());
        else _ctx.Namespaces.Run(ns, "socat", "-T1", "-u", "OPEN:/dev/null", $"{(proto == "tcp" ? "TCP" : "UDP")}:{dst}:{port},connect-timeout=1");
    }

    private static string Verdict(int? code, string? chain) => code switch
    {
        0 => "drop",
        1 => "accept",
        2 => "stolen",
        3 => "queue",
        -1 => "continue",
        -2 => "break",
        -3 => $"jump {chain}",
        -4 => $"goto {chain}",
        -5 => "return",
        null => "continue",
        _ => code.ToString()!,
    };
}
