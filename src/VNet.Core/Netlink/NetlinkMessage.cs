using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace VNet.Core.Netlink;

/// <summary>A malformed or truncated netlink message: reported as an error, never read past.</summary>
public sealed class NetlinkParseException : VNetException
{
    public NetlinkParseException(string what)
        : base("MalformedNetlinkMessage", VNetErrorCategory.ProtocolError, Messages.Format("MalformedNetlinkMessage", what)) { }
}

/// <summary>One received netlink message: header fields and a payload slice.</summary>
internal readonly struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint seq, uint pid, ReadOnlyMemory<byte> payload)
    {
        Type = type;
        Flags = flags;
        Seq = seq;
        Pid = pid;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Seq { get; }
    public uint Pid { get; }
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Splits one datagram into messages, checking every length against what was received.</summary>
    public static List<NetlinkMessage> ParseAll(ReadOnlyMemory<byte> datagram)
    {
        var list = new List<NetlinkMessage>();
        int off = 0;
        var span = datagram.Span;
        while (off < datagram.Length)
        {
            if (datagram.Length - off < Nl.HeaderLength)
                throw new NetlinkParseException($"{datagram.Length - off} trailing bytes, shorter than a message header");
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(off));
            if (len < Nl.HeaderLength || len > (uint)(datagram.Length - off))
                throw new NetlinkParseException($"message length {len} at offset {off} of a {datagram.Length}-byte datagram");
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(off + 4));
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(off + 6));
            uint seq = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(off + 8));
            uint pid = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(off + 12));
            list.Add(new NetlinkMessage(type, flags, seq, pid, datagram.Slice(off + Nl.HeaderLength, (int)len - Nl.HeaderLength)));
            off += Math.Min(Nl.Align((int)len), datagram.Length - off);
        }
        return list;
    }

    /// <summary>The fixed family header at the start of the payload; throws if the payload is shorter.</summary>
    public ReadOnlySpan<byte> Fixed(int length)
    {
        if (Payload.Length < length)
            throw new NetlinkParseException($"type {Type} payload of {Payload.Length} bytes, expected at least {length}");
        return Payload.Span.Slice(0, length);
    }

    public AttributeSet Attributes(int fixedLength) =>
        AttributeSet.Parse(Payload.Slice(Math.Min(Nl.Align(fixedLength), Payload.Length)));
}

/// <summary>
/// The attributes of a message or of a nested attribute, parsed once with bounds checks. Lookups
/// return the first attribute of a type; typed getters check the size before reading.
/// </summary>
internal sealed class AttributeSet
{
    private readonly List<(ushort Type, ReadOnlyMemory<byte> Value)> _attrs;

    private AttributeSet(List<(ushort, ReadOnlyMemory<byte>)> attrs) => _attrs = attrs;

    public static readonly AttributeSet Empty = new(new());

    public IReadOnlyList<(ushort Type, ReadOnlyMemory<byte> Value)> All => _attrs;

    public static AttributeSet Parse(ReadOnlyMemory<byte> data)
    {
        var list = new List<(ushort, ReadOnlyMemory<byte>)>();
        var span = data.Span;
        int off = 0;
        while (off + 4 <= data.Length)
        {
            ushort len = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(off));
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(off + 2));
            if (len < 4 || len > data.Length - off)
                throw new NetlinkParseException($"attribute type {type & 0x3fff} length {len} at offset {off} of {data.Length}");
            // Strip NLA_F_NESTED / NLA_F_NET_BYTEORDER: callers ask by plain type.
            list.Add(((ushort)(type & 0x3fff), data.Slice(off + 4, len - 4)));
            off += Nl.Align(len);
        }
        // Fewer than 4 bytes left over is a truncated attribute header, not padding.
        if (off < data.Length)
            throw new NetlinkParseException($"{data.Length - off} trailing bytes after attributes");
        return new AttributeSet(list);
    }

    public bool Has(ushort type) => Find(type, out _);

    public bool Find(ushort type, out ReadOnlyMemory<byte> value)
    {
        foreach (var (t, v) in _attrs)
        {
            if (t == type) { value = v; return true; }
        }
        value = default;
        return false;
    }

    public IEnumerable<ReadOnlyMemory<byte>> FindAll(ushort type)
    {
        foreach (var (t, v) in _attrs)
            if (t == type) yield return v;
    }

    private ReadOnlySpan<byte> Sized(ushort type, ReadOnlyMemory<byte> v, int size)
    {
        if (v.Length < size) throw new NetlinkParseException($"attribute type {type} has {v.Length} bytes, expected {size}");
        return v.Span.Slice(0, size);
    }

    public uint? U32(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadUInt32LittleEndian(Sized(type, v, 4)) : null;
    public int? S32(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadInt32LittleEndian(Sized(type, v, 4)) : null;
    public ushort? U16(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadUInt16LittleEndian(Sized(type, v, 2)) : null;
    public ushort? Be16(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadUInt16BigEndian(Sized(type, v, 2)) : null;
    public uint? Be32(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadUInt32BigEndian(Sized(type, v, 4)) : null;
    public ulong? U64(ushort type) => Find(type, out var v) ? BinaryPrimitives.ReadUInt64LittleEndian(Sized(type, v, 8)) : null;
    public byte? U8(ushort type) => Find(type, out var v) ? Sized(type, v, 1)[0] : null;

    /// <summary>A string attribute, up to its first NUL (the kernel always terminates them, but a peer may not).</summary>
    public string? String(ushort type)
    {
        if (!Find(type, out var v)) return null;
        var s = v.Span;
        int nul = s.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? s.Slice(0, nul) : s);
    }

    public byte[]? Bytes(ushort type) => Find(type, out var v) ? v.ToArray() : null;

    public AttributeSet? Nested(ushort type) => Find(type, out var v) ? Parse(v) : null;

    /// <summary>An IPv4 or IPv6 address attribute; anything of another size is malformed.</summary>
    public IPAddress? Address(ushort type)
    {
        if (!Find(type, out var v)) return null;
        if (v.Length != 4 && v.Length != 16)
            throw new NetlinkParseException($"address attribute type {type} has {v.Length} bytes");
        return new IPAddress(v.Span);
    }
}
