using System.Buffers.Binary;
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
    internal const ushort ElemKey = 1, ElemData = 2, ElemUserdata = 6, ElemExpr = 7, ElemKeyEnd = 10, ElemExpressions = 11;
    internal const ushort DataValue = 1;
    // NFTA_EXPR_*, NFTA_COUNTER_*
    private const ushort ExprName = 1, ExprData = 2, CounterBytes = 1, CounterPackets = 2;

    /// <summary>One element to add: its key, its data in a map, and a comment.</summary>
    public readonly record struct Element(byte[] Key, byte[]? Data = null, string? Comment = null);

    /// <summary>An element read back, with the counter its expressions carry (zero without one).</summary>
    public sealed record Entry(byte[] Key, byte[]? Data, string? Comment, long Packets, long Bytes)
    {
        /// <summary>The last key of a range, in a set of concatenated intervals (NFTA_SET_ELEM_KEY_END).</summary>
        public byte[]? KeyEnd { get; init; }
    }

    /// <summary>Keys compared by their bytes, to join the elements of two maps.</summary>
    public sealed class KeyComparer : IEqualityComparer<byte[]>
    {
        public static readonly KeyComparer Instance = new();
        public bool Equals(byte[]? a, byte[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(byte[] key)
        {
            var h = new HashCode();
            h.AddBytes(key);
            return h.ToHashCode();
        }
    }

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
        string? lastComment = null;
        byte[]? lastUserdata = null;
        foreach (var m in msgs)
        {
            if (m.Type != (Subsys << 8 | MsgNewSetElem)) continue;
            if (!m.Attributes(4).Find(ListElements, out var list)) continue;
            // Walked in place: a dump of thousands of elements is read without an attribute list per element.
            for (var elems = new Walker(list.Span); elems.Next(out ushort type, out var elem);)
                if (type == ListElem) result.Add(ParseElement(elem, ref lastUserdata, ref lastComment));
        }
        return result;
    }

    /// <summary>
    /// One element. The elements of a port range share their comment: the user data is compared
    /// with the previous element's and its string reused, so 10,000 elements are not 10,000 copies.
    /// </summary>
    private static Entry ParseElement(ReadOnlySpan<byte> elem, ref byte[]? lastUserdata, ref string? lastComment)
    {
        byte[]? key = null, keyEnd = null, data = null;
        string? comment = null;
        long packets = 0, bytes = 0;
        for (var w = new Walker(elem); w.Next(out ushort type, out var v);)
        {
            switch (type)
            {
                case ElemKey: key = Value(v); break;
                case ElemKeyEnd: keyEnd = Value(v); break;
                case ElemData: data = Value(v); break;
                case ElemUserdata:
                    if (lastUserdata == null || !v.SequenceEqual(lastUserdata))
                    {
                        lastUserdata = v.ToArray();
                        lastComment = NftUserdata.Comment(v);
                    }
                    comment = lastComment;
                    break;
                // One expression comes alone (NFTA_SET_ELEM_EXPR); several as a list (NFTA_SET_ELEM_EXPRESSIONS).
                case ElemExpr: Counter(v, ref packets, ref bytes); break;
                case ElemExpressions:
                    for (var x = new Walker(v); x.Next(out ushort t, out var expr);)
                        if (t == ListElem) Counter(expr, ref packets, ref bytes);
                    break;
            }
        }
        return new Entry(key ?? throw new NetlinkParseException("a set element without a key"), data, comment, packets, bytes) { KeyEnd = keyEnd };
    }

    /// <summary>NFTA_DATA_VALUE inside a key or data attribute (a verdict map's data has none: null).</summary>
    private static byte[]? Value(ReadOnlySpan<byte> nested)
    {
        for (var w = new Walker(nested); w.Next(out ushort type, out var v);)
            if (type == DataValue) return v.ToArray();
        return null;
    }

    /// <summary>Adds a "counter" expression's packets and bytes (be64 each).</summary>
    private static void Counter(ReadOnlySpan<byte> expr, ref long packets, ref long bytes)
    {
        bool counter = false;
        ReadOnlySpan<byte> data = default;
        for (var w = new Walker(expr); w.Next(out ushort type, out var v);)
        {
            if (type == ExprName)
            {
                int nul = v.IndexOf((byte)0);
                counter = (nul >= 0 ? v[..nul] : v).SequenceEqual("counter"u8);
            }
            else if (type == ExprData) data = v;
        }
        if (!counter) return;
        for (var w = new Walker(data); w.Next(out ushort type, out var v);)
        {
            if (type is not (CounterPackets or CounterBytes)) continue;
            if (v.Length < 8) throw new NetlinkParseException($"counter attribute {type} has {v.Length} bytes, expected 8");
            long n = (long)BinaryPrimitives.ReadUInt64BigEndian(v);
            if (type == CounterPackets) packets += n; else bytes += n;
        }
    }

    /// <summary>Netlink attributes walked in place, with the same bounds checks as AttributeSet.Parse.</summary>
    private ref struct Walker
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _off;

        public Walker(ReadOnlySpan<byte> data)
        {
            _data = data;
            _off = 0;
        }

        public bool Next(out ushort type, out ReadOnlySpan<byte> value)
        {
            type = 0;
            value = default;
            if (_off >= _data.Length) return false;
            if (_data.Length - _off < 4) throw new NetlinkParseException($"{_data.Length - _off} trailing bytes after attributes");
            ushort len = BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(_off));
            ushort raw = BinaryPrimitives.ReadUInt16LittleEndian(_data.Slice(_off + 2));
            if (len < 4 || len > _data.Length - _off)
                throw new NetlinkParseException($"attribute type {raw & 0x3fff} length {len} at offset {_off} of {_data.Length}");
            type = (ushort)(raw & 0x3fff);
            value = _data.Slice(_off + 4, len - 4);
            _off += Math.Min(Nl.Align(len), _data.Length - _off);
            return true;
        }
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
        const ushort flags = Nl.F_REQUEST | Nl.F_CREATE | Nl.F_EXCL;
        // A range's elements share one comment: encoded once.
        string? lastComment = null;
        byte[]? userdata = null;
        Build(NftSetElements.MsgNewSetElem, flags, set, elems.Count, (w, i) =>
        {
            var e = elems[i];
            Value(w, NftSetElements.ElemKey, e.Key);
            if (e.Data != null) Value(w, NftSetElements.ElemData, e.Data);
            if (e.Comment == null) return;
            if (!ReferenceEquals(e.Comment, lastComment)) (lastComment, userdata) = (e.Comment, NftUserdata.ForComment(e.Comment));
            w.Attr(NftSetElements.ElemUserdata, userdata);
        });
        return this;
    }

    /// <summary>Deletes elements by key; a key not there is the kernel's ENOENT, and the batch does nothing.</summary>
    public NftElementBatch Delete(string set, IReadOnlyList<byte[]> keys)
    {
        Build(NftSetElements.MsgDelSetElem, Nl.F_REQUEST, set, keys.Count, (w, i) => Value(w, NftSetElements.ElemKey, keys[i]));
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
    /// <remarks>
    /// nfnetlink reports every refused message whether or not it asked for an ACK, so only the
    /// last one asks: a 65535-port range is 512 messages, and 512 ACKs would not fit a receive
    /// buffer that cannot be forced (a user-namespace container), losing the answer.
    /// </remarks>
    public BatchError? Commit(NetlinkSocket socket)
    {
        if (Messages.Count > 0) Messages[^1].AddFlags(Nl.F_ACK);
        return socket.TryBatch(Messages, Nfnl.SUBSYS_NFTABLES);
    }

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
