using System.Text;
using VNet.Core;
using VNet.Core.Filter;
using VNet.Core.Netlink;

namespace VNet.Fuzz;

/// <summary>
/// One fuzz target per parser. Each gets the fuzz input as the kernel's answer (see
/// <see cref="FuzzConnection"/>), or as the text/datagram it parses. A VNetException (a malformed
/// message reported as an error) is the parsers' correct answer to garbage; anything else that
/// escapes is a crash.
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["netlink"] = Netlink,
        ["link"] = input => WithKernel(input, ctx => ctx.Links.List()),
        ["address"] = input => WithKernel(input, ctx => ctx.Addresses.List()),
        ["route"] = input => WithKernel(input, ctx => ctx.Routes.List(allTables: true)),
        ["fdb"] = input => WithKernel(input, ctx => ctx.Fdb.List()),
        ["vxlan"] = input => WithKernel(input, ctx => { ctx.Vxlans.List(); return ctx.Vxlans.ListPeers("vx0"); }),
        ["conntrack"] = input => WithKernel(input, ctx => ctx.Conntrack.List()),
        ["trace"] = Trace,
        // A publish map's element dump and the rules Get-NatRule makes of it (the key read as address . port).
        ["setelem"] = input => WithKernel(input, ctx =>
        {
            var elems = NftSetElements.Dump(ctx.NetfilterSocket(null), Nftables.FamilyInet, "vnet", "pub_tcp_addr") ?? new List<NftSetElements.Entry>();
            return NatReader.Publishes(false, "tcp", true, elems, elems, null);
        }),
        ["nft"] = input => RulesetService.ParseJson(Encoding.UTF8.GetString(input), table: "*", chain: "*"),
    };

    /// <summary>Runs one input, turning the expected outcomes (a reported parse error) into a normal return.</summary>
    public static void Run(string target, byte[] input)
    {
        try
        {
            All[target](input);
        }
        catch (VNetException) { }
        catch (FuzzExhaustedException) { }
    }

    // One context for the whole process, as a cmdlet keeps one per call: its sockets run over the
    // fuzz connection, whose input is swapped per run (no file descriptor per run). Made on first
    // use: instrumented code must not run before SharpFuzz has set up afl's coverage map.
    private static readonly FuzzConnection Kernel = new();
    private static NetContext? s_context;

    private static void WithKernel(byte[] input, Func<NetContext, object> service)
    {
        Kernel.Input = input;
        service(s_context ??= new NetContext { Connections = _ => Kernel });
    }

    /// <summary>The codec alone: split the datagram, read every attribute at every plausible header size, nested ones too.</summary>
    private static void Netlink(byte[] input)
    {
        List<NetlinkMessage> msgs;
        try { msgs = NetlinkMessage.ParseAll(input); }
        catch (NetlinkParseException) { return; }
        foreach (var m in msgs)
        {
            if (m.Type == Nl.ERROR)
            {
                try { NetlinkSocket.ParseError(m); } catch (NetlinkParseException) { }
            }
            // ifinfomsg/ndmsg 16 and 12, ifaddrmsg 8, rtmsg 12, nfgenmsg 4: every family's header size.
            foreach (int fixedLength in new[] { 0, 4, 8, 12, 16 })
            {
                try
                {
                    if (m.Payload.Length < fixedLength) m.Fixed(fixedLength);
                    Walk(m.Attributes(fixedLength), 0);
                }
                catch (NetlinkParseException) { }
            }
        }
        // And the same datagram as the answer to a dump and to a request.
        Kernel.Input = input;
        var sock = new NetlinkSocket(Kernel);
        try { sock.Dump(new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST | Nl.F_DUMP), "fuzz"); } catch (VNetException) { } catch (FuzzExhaustedException) { }
        try { sock.Request(new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK), "fuzz", null); } catch (VNetException) { } catch (FuzzExhaustedException) { }
    }

    private static void Walk(AttributeSet a, int depth)
    {
        foreach (var (type, value) in a.All)
        {
            try { a.U8(type); a.U16(type); a.U32(type); a.S32(type); a.U64(type); a.Be16(type); a.Be32(type); } catch (NetlinkParseException) { }
            try { a.Address(type); } catch (NetlinkParseException) { }
            a.String(type);
            a.Bytes(type);
            if (depth < 4 && value.Length >= 4)
            {
                try { Walk(a.Nested(type)!, depth + 1); } catch (NetlinkParseException) { }
            }
        }
    }

    private static readonly Dictionary<(string Family, string Table, string Chain, long Handle), string> TraceRules = new()
    {
        [("ip", "filter", "INPUT", 2)] = "ip saddr 198.51.100.0/24 accept",
    };
    private static readonly Dictionary<int, string> TraceLinks = new() { [1] = "lo", [2] = "br0" };

    /// <summary>Trace events as they come from the NFNLGRP_NFTRACE group.</summary>
    private static void Trace(byte[] input)
    {
        int step = 1;
        foreach (var m in NetlinkMessage.ParseAll(input))
            if (TraceService.ParseEvent(m, step, TraceRules, TraceLinks) != null) step++;
    }
}
