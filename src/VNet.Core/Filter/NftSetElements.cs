using System.Buffers.Binary;
using System.Text;
using VNet.Core.Netlink;

namespace VNet.Core.Filter;

/// <summary>
/// The elements of an nf_tables set or map, over VNet's own nfnetlink socket: added and deleted
/// in a batch (NFT_MSG_NEWSETELEM / NFT_MSG_DELSETELEM, one kernel transaction, see
/// <see cref="NftElementBatch"/>), read back whole with a dump (NFT_MSG_GETSETELEM), or asked for
/// by key. Keys and data are the bytes `nft` puts in the kernel (see <see cref="InetService"/> and
/// <see cref="Concat"/>); a comment is the element's user data, as libnftnl writes it. A thousand
/// publishes are a few kilobytes here, where libnftables built, serialised and re-parsed JSON for
/// each element and checked it against everything added before.
/// </summary>
internal static class NftSetElements
{
    internal const ushort Subsys = Nfnl.SUBSYS_NFTABLES;
    internal const ushort MsgNewSetElem = 12, MsgGetSetElem = 13, MsgDelSetElem = 14;
    // NFTA_SET_ELEM_LIST_*
    internal const ushort ListTable = 1, ListSet = 2, ListElements = 3;
    // NFTA_LIST_ELEM, NFTA_SET_ELEM_*, NFTA_DATA_VALUE
    internal const ushort ListElem = 1;
    internal const ushort ElemKey = 1, ElemData = 2, ElemUserdata = 6, ElemExpr = 7, ElemExpressions = 11;
    internal const ushort DataValue = 1;
    // NFTA_EXPR_*, NFTA_COUNTER_*
    private const ushort ExprName = 1, ExprData = 2, CounterBytes = 1, CounterPackets = 2;
    /// <summary>libnftnl's NFTNL_UDATA_SET_ELEM_COMMENT: the type of an element's comment in its user data TLVs.</summary>
    private const byte UdataComment = 0;

    /// <summary>One element to add: its key, its data in a map, and a comment.</summary>
    public readonly record struct Element(byte[] Key, byte[]? Data = null, string? Comment = null);

    /// <summary>An element read back, with the counter its expressions carry (zero without one).</summary>
    public sealed record Entry(byte[] Key, byte[]? Data, string? Comment, long Packets, long Bytes);

    /// <summary>An inet_service (a port): 2 bytes in network order.</summary>
    public static byte[] InetService(int port) => new[] { (byte)(port >> 8), (byte)port };

    /// <summary>A concatenation's key: each field padded with zeros to a 4-byte register, as nft lays them out.</summary>
    public static byte[] Concat(params byte[][] fields)
    {
        var key = new byte[fields.Sum(f => Nl.Align(f.Length))];
        int off = 0;
        foreach (var f in fields)
        {
            f.CopyTo(key, off);
            off += Nl.Align(f.Length);
        }
        return key;
    }

    /// <summary>The nfgenmsg every nf_tables message starts with: the family, version 0, resource id 0.</summary>
    internal static NetlinkWriter Message(ushort msg, ushort flags, byte family, string table, string set, int capacity = 256)
    {
        var w = new NetlinkWriter((ushort)(Subsys << 8 | msg), flags, capacity);
        w.Reserve(4)[0] = family;
        w.AttrString(ListTable, table);
        w.AttrString(ListSet, set);
        return w;
    }

    /// <summary>The dump request of every element of a set.</summary>
    internal static NetlinkWriter DumpRequest(byte family, string table, string set) =>
        Message(MsgGetSetElem, Nl.F_REQUEST | Nl.F_DUMP, family, table, set);

    /// <summary>Every element of a set, with comments and counters; null when the table or set is not there (the kernel's ENOENT).</summary>
    public static List<Entry>? Dump(NetlinkSocket socket, byte family, string table, string set)
    {
        List<NetlinkMessage> msgs;
        try
        {
            msgs = socket.Dump(DumpRequest(family, table, set), $"list the elements of set {set}", set);
        }
        catch (VNetException e) when (e.Errno == Native.Sys.ENOENT)
        {
            return null;
        }
        return Parse(msgs);
    }

    /// <summary>The elements in the NFT_MSG_NEWSETELEM messages of a dump or a get.</summary>
    internal static List<Entry> Parse(IEnumerable<NetlinkMessage> msgs)
    {
        var result = new List<Entry>();
        foreach (var m in msgs)
        {
            if (m.Type != (Subsys << 8 | MsgNewSetElem)) continue;
            var list = m.Attributes(4).Nested(ListElements);
            if (list == null) continue;
            foreach (var value in list.FindAll(ListElem)) result.Add(ParseElement(AttributeSet.Parse(value)));
        }
        return result;
    }

    private static Entry ParseElement(AttributeSet e)
    {
        var key = e.Nested(ElemKey)?.Bytes(DataValue) ?? throw new NetlinkParseException("a set element without a key");
        var data = e.Nested(ElemData)?.Bytes(DataValue);
        string? comment = e.Find(ElemUserdata, out var ud) ? Comment(ud.Span) : null;
        long packets = 0, bytes = 0;
        // One expression comes alone (NFTA_SET_ELEM_EXPR); several as a list (NFTA_SET_ELEM_EXPRESSIONS).
        var exprs = new List<ReadOnlyMemory<byte>>();
        if (e.Find(ElemExpr, out var one)) exprs.Add(one);
        if (e.Nested(ElemExpressions) is { } many) exprs.AddRange(many.FindAll(ListElem));
        foreach (var x in exprs)
        {
            var expr = AttributeSet.Parse(x);
            if (expr.String(ExprName) != "counter" || expr.Nested(ExprData) is not { } c) continue;
            packets += Be64(c, CounterPackets);
            bytes += Be64(c, CounterBytes);
        }
        return new Entry(key, data, comment, packets, bytes);
    }

    private static long Be64(AttributeSet a, ushort type)
    {
        if (!a.Find(type, out var v)) return 0;
        if (v.Length < 8) throw new NetlinkParseException($"counter attribute {type} has {v.Length} bytes, expected 8");
        return (long)BinaryPrimitives.ReadUInt64BigEndian(v.Span);
    }

    /// <summary>The comment in an element's user data: TLVs of (u8 type, u8 length, value), type 0 the NUL-terminated comment.</summary>
    internal static string? Comment(ReadOnlySpan<byte> ud)
    {
        for (int i = 0; i + 2 <= ud.Length;)
        {
            int type = ud[i], len = ud[i + 1];
            if (i + 2 + len > ud.Length) break;
            if (type == UdataComment)
            {
                var v = ud.Slice(i + 2, len);
                int nul = v.IndexOf((byte)0);
                return Encoding.UTF8.GetString(nul >= 0 ? v[..nul] : v);
            }
            i += 2 + len;
        }
        return null;
    }

    /// <summary>A comment as user data: one TLV whose length counts the closing NUL.</summary>
    internal static byte[] Userdata(string comment)
    {
        int n = Encoding.UTF8.GetByteCount(comment);
        // nft caps a comment at 128 bytes; the u8 length could not say more than 255 anyway.
        if (n + 1 > 255) throw new ArgumentException($"element comment of {n} bytes", nameof(comment));
        var ud = new byte[n + 3];
        ud[0] = UdataComment;
        ud[1] = (byte)(n + 1);
        Encoding.UTF8.GetBytes(comment, ud.AsSpan(2));
        return ud;
    }

    /// <summary>
    /// Some elements of a set, asked for by key (NFT_MSG_GETSETELEM with the keys, as `nft get
    /// element` does): cheaper than a dump of every element when only a few matter. Null when any
    /// key is not there (the kernel's ENOENT) or the set is missing.
    /// </summary>
    public static List<Entry>? Get(NetlinkSocket socket, byte family, string table, string set, IEnumerable<byte[]> keys)
    {
        var req = Message(MsgGetSetElem, Nl.F_REQUEST | Nl.F_ACK, family, table, set);
        int elems = req.BeginNested(ListElements, nestedFlag: true);
        foreach (var key in keys)
        {
            int elem = req.BeginNested(ListElem, nestedFlag: true);
            int k = req.BeginNested(ElemKey, nestedFlag: true);
            req.Attr(DataValue, key);
            req.EndNested(k);
            req.EndNested(elem);
        }
        req.EndNested(elems);
        try
        {
            return Parse(socket.Request(req, $"read elements of set {set}", set));
        }
        catch (VNetException e) when (e.Errno == Native.Sys.ENOENT)
        {
            return null;
        }
    }
}

/// <summary>
/// Element changes of one table, built as the messages of one nfnetlink batch: long lists are split
/// over several messages (a nested attribute's length is 16 bits, so one message holds at most
/// 64 KB of elements), and where each element sits is kept, so the element the kernel refuses
/// (its extended ACK points at the attribute) can be named.
/// </summary>
internal sealed class NftElementBatch
{
    /// <summary>Elements per message: 256 of the largest VNet writes (an IPv6 key, data and comment) stay well under 64 KB.</summary>
    public const int PerMessage = 256;

    private readonly byte _family;
    private readonly string _table;
    private readonly List<(string Set, int First, List<int> Offsets)> _where = new();

    public NftElementBatch(byte family, string table)
    {
        _family = family;
        _table = table;
    }

    public List<NetlinkWriter> Messages { get; } = new();

    /// <summary>
    /// Adds elements to a set or map. Exclusive (NLM_F_EXCL): a key already there is the kernel's
    /// EEXIST, never a silent overwrite of another rule's element.
    /// </summary>
    public NftElementBatch Add(string set, IReadOnlyList<NftSetElements.Element> elems)
    {
        const ushort flags = Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_EXCL;
        Build(NftSetElements.MsgNewSetElem, flags, set, elems.Count, (w, i) =>
        {
            var e = elems[i];
            Value(w, NftSetElements.ElemKey, e.Key);
            if (e.Data != null) Value(w, NftSetElements.ElemData, e.Data);
            if (e.Comment != null) w.Attr(NftSetElements.ElemUserdata, NftSetElements.Userdata(e.Comment));
        });
        return this;
    }

    /// <summary>Deletes elements by key; a key not there is the kernel's ENOENT, and the batch does nothing.</summary>
    public NftElementBatch Delete(string set, IReadOnlyList<byte[]> keys)
    {
        Build(NftSetElements.MsgDelSetElem, Nl.F_REQUEST | Nl.F_ACK, set, keys.Count, (w, i) => Value(w, NftSetElements.ElemKey, keys[i]));
        return this;
    }

    private static void Value(NetlinkWriter w, ushort type, byte[] bytes)
    {
        int n = w.BeginNested(type, nestedFlag: true);
        w.Attr(NftSetElements.DataValue, bytes);
        w.EndNested(n);
    }

    private void Build(ushort msg, ushort flags, string set, int count, Action<NetlinkWriter, int> element)
    {
        for (int first = 0; first < count; first += PerMessage)
        {
            int n = Math.Min(PerMessage, count - first);
            var w = NftSetElements.Message(msg, flags, _family, _table, set, 64 + n * 96);
            var offsets = new List<int>(n);
            int list = w.BeginNested(NftSetElements.ListElements, nestedFlag: true);
            for (int i = first; i < first + n; i++)
            {
                offsets.Add(w.Length);
                int e = w.BeginNested(NftSetElements.ListElem, nestedFlag: true);
                element(w, i);
                w.EndNested(e);
            }
            w.EndNested(list);
            Messages.Add(w);
            _where.Add((set, first, offsets));
        }
    }

    /// <summary>Sends the changes as one batch; what the kernel refused, or null when it committed them all.</summary>
    public BatchError? Commit(NetlinkSocket socket) => socket.TryBatch(Messages, Nfnl.SUBSYS_NFTABLES);

    /// <summary>
    /// The element a refusal names: its set and its index in the list given to Add or Delete. Null
    /// when the kernel pointed at no element (no offset, or the batch itself).
    /// </summary>
    public (string Set, int Index)? Locate(BatchError e)
    {
        if (e.Message < 0 || e.Message >= _where.Count || e.Offset is not uint off) return null;
        var (set, first, offsets) = _where[e.Message];
        int i = offsets.BinarySearch((int)Math.Min(off, int.MaxValue));
        if (i < 0) i = ~i - 1;
        return i < 0 ? null : (set, first + i);
    }
}
