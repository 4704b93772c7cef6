using System.Runtime.InteropServices;
using System.Text.Json;
using VNet.Core.Namespaces;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>
/// The nftables backend. Design note: VNet changes rules through libnftables (Debian's
/// libnftables1, the library behind `nft`) where rules and expressions are concerned: the table's
/// skeleton, masquerade/SNAT rules, the hairpin and isolation sets. A whole command list given to
/// nft_run_cmd_from_buffer is ONE kernel transaction, the rules VNet writes are the ones
/// `nft list ruleset` prints back, and they go in as JSON (libnftables-json), so no value is ever
/// parsed as nft syntax. Set and map elements are plain bytes (a key, data, a comment), and there
/// libnftables costs more than the kernel: a thousand publishes were 4 ms of JSON objects, 1.5 ms of
/// serialising and 10-15 ms inside libnftables, for what the kernel inserts in about 3 ms. So the
/// publish maps' elements are written and read over VNet's own NETLINK_NETFILTER socket
/// (NftSetElements: one nfnetlink batch, one kernel transaction), as are whether a table exists
/// (an errno, not an English message), conntrack dumps and trace events. libnftables opens its
/// netlink socket in the namespace of the thread that runs a command, so every call runs on the
/// core's namespace worker inside the target namespace.
/// </summary>
internal static class Nftables
{
    private const string Lib = "libnftables.so.1";
    private const uint OutputJson = 1 << 4, OutputHandle = 1 << 3;

    [DllImport(Lib)] private static extern IntPtr nft_ctx_new(uint flags);
    [DllImport(Lib)] private static extern void nft_ctx_free(IntPtr ctx);
    [DllImport(Lib)] private static extern int nft_ctx_buffer_output(IntPtr ctx);
    [DllImport(Lib)] private static extern int nft_ctx_buffer_error(IntPtr ctx);
    [DllImport(Lib)] private static extern IntPtr nft_ctx_get_output_buffer(IntPtr ctx);
    [DllImport(Lib)] private static extern IntPtr nft_ctx_get_error_buffer(IntPtr ctx);
    [DllImport(Lib)] private static extern void nft_ctx_output_set_flags(IntPtr ctx, uint flags);
    [DllImport(Lib)] private static extern int nft_run_cmd_from_buffer(IntPtr ctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string buf);

    /// <summary>
    /// Runs an nft command buffer (one transaction) in a namespace; returns nft's output. With
    /// <paramref name="json"/> the output is JSON and the input is read as JSON first (libnftables
    /// 1.0.6 has no input flag: a JSON output context parses its input as JSON, and only input that
    /// is not JSON at all falls back to the nft language). The libnftables context is kept per
    /// namespace for the life of the NetContext (its socket is opened inside the namespace at first
    /// use, on the worker), so a batch of calls pays for it once.
    /// </summary>
    public static string Run(NetContext ctx, string? ns, string script, bool json = false, string? doing = null, object? target = null, bool handles = false)
    {
        var h = ctx.Resolve(ns);
        (int rc, string output, string error) Work()
        {
            // Without CAP_NET_ADMIN libnftables writes to stderr behind PowerShell's back; refuse first.
            if (!Native.Capabilities.Has(Native.Capabilities.CAP_NET_ADMIN))
                throw new VNetException("PermissionDenied", VNetErrorCategory.PermissionDenied,
                    Messages.Format("PermissionDeniedNetAdmin", doing ?? "change the firewall", Native.Sys.StrError(Native.Sys.EPERM)), target, Native.Sys.EPERM);
            IntPtr c = ctx.NftContext(h.Inode, () =>
            {
                IntPtr n;
                try { n = nft_ctx_new(0); }
                catch (DllNotFoundException e)
                {
                    throw new VNetException("NftablesMissing", VNetErrorCategory.NotImplemented,
                        Messages.Format("NftablesMissing", e.Message), Lib);
                }
                nft_ctx_buffer_output(n);
                nft_ctx_buffer_error(n);
                return n;
            });
            nft_ctx_output_set_flags(c, json ? OutputJson | OutputHandle : handles ? OutputHandle : 0);
            int rc = nft_run_cmd_from_buffer(c, script);
            // Reading a buffer also rewinds it for the next command.
            return (rc, Marshal.PtrToStringUTF8(nft_ctx_get_output_buffer(c)) ?? "", Marshal.PtrToStringUTF8(nft_ctx_get_error_buffer(c)) ?? "");
        }
        var (rc, output, error) = NamespaceThread.RunIn(h, Work);
        if (rc != 0)
        {
            string text = FirstErrorLine(error);
            // libnftables reports no errno; ask the kernel directly whether the caller may touch
            // nftables here at all (an EPERM becomes PermissionDenied), else it refused this change.
            TableExists(ctx, ns, 0, "");
            throw new VNetException("NftablesRejected", VNetErrorCategory.InvalidOperation,
                Messages.Format("KernelError", doing ?? "change the firewall", text), target, 0, text);
        }
        return output;
    }

    /// <summary>Runs libnftables JSON commands as one transaction.</summary>
    public static string RunJson(NetContext ctx, string? ns, string document, string doing, object? target = null) =>
        Run(ctx, ns, document, json: true, doing: doing, target: target);

    internal static void Free(IntPtr c) => nft_ctx_free(c);

    private static string FirstErrorLine(string error)
    {
        var line = error.Split('\n').FirstOrDefault(l => l.Contains("Error:", StringComparison.Ordinal)) ?? error.Split('\n')[0];
        int i = line.IndexOf("Error:", StringComparison.Ordinal);
        return (i >= 0 ? line[(i + 6)..] : line).Trim();
    }

    /// <summary>`nft -j list ...` in a namespace, as the "nftables" array.</summary>
    public static List<JsonElement> ListJson(NetContext ctx, string? ns, string what = "list ruleset")
    {
        string text = Run(ctx, ns, what, json: true, doing: "read the ruleset");
        if (string.IsNullOrWhiteSpace(text)) return new List<JsonElement>();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("nftables").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public const byte FamilyInet = 1, FamilyIPv4 = 2, FamilyIPv6 = 10;

    /// <summary>
    /// The ruleset's generation (NFT_MSG_GETGEN): the kernel bumps it with every committed
    /// transaction, so a read made of several dumps is one snapshot when the generation is the
    /// same before and after it.
    /// </summary>
    public static uint Generation(NetContext ctx, string? ns)
    {
        const ushort SubsysNftables = 10, MsgNewGen = 15, MsgGetGen = 16, AttrGenId = 1;
        var req = new NetlinkWriter((ushort)(SubsysNftables << 8 | MsgGetGen), Nl.F_REQUEST | Nl.F_ACK);
        req.Reserve(4); // nfgenmsg: AF_UNSPEC, version 0, resource id 0
        foreach (var m in ctx.NetfilterSocket(ns).Request(req, "read the nftables generation", ns))
            if (m.Type == (SubsysNftables << 8 | MsgNewGen) && m.Attributes(4).Bytes(AttrGenId) is { Length: 4 } id)
                return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(id);
        throw new NetlinkParseException("the kernel answered NFT_MSG_GETGEN without a generation id");
    }

    /// <summary>
    /// Whether an nftables table exists, asked over nfnetlink (one small NFT_MSG_GETTABLE dump of a
    /// family; 0 = every family): cheaper than libnftables, which fetches every table's sets and
    /// elements to answer, and it lets a namespace without any firewall (the usual case for a
    /// bridge) never load libnftables. No nf_tables in the kernel means no such table; a caller
    /// without CAP_NET_ADMIN gets PermissionDenied from the kernel's EPERM.
    /// </summary>
    public static bool TableExists(NetContext ctx, string? ns, byte family, string name)
    {
        const ushort SubsysNftables = 10, MsgNewTable = 0, MsgGetTable = 1, AttrTableName = 1;
        var req = new NetlinkWriter((ushort)(SubsysNftables << 8 | MsgGetTable), Nl.F_REQUEST | Nl.F_DUMP);
        req.Reserve(4)[0] = family; // nfgenmsg: family, version 0, resource id 0
        List<NetlinkMessage> tables;
        try
        {
            tables = ctx.NetfilterSocket(ns).Dump(req, "list nftables tables", ns).ToList();
        }
        catch (Exception e) when (e is VNetException or Native.SystemCallException)
        {
            if (e is VNetException { Category: VNetErrorCategory.PermissionDenied }) throw;
            return false;
        }
        return tables.Any(m => m.Type == (SubsysNftables << 8 | MsgNewTable) && m.Fixed(4)[0] == family && m.Attributes(4).String(AttrTableName) == name);
    }
}
