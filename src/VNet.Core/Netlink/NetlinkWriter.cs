using System.Buffers.Binary;
using System.Text;

namespace VNet.Core.Netlink;

/// <summary>
/// Builds one netlink message: header, a fixed family header, then type-length-value attributes,
/// all 4-byte aligned. Nested attributes are opened with <see cref="BeginNested"/> and closed with
/// <see cref="EndNested"/>, which patches the length in place.
/// </summary>
internal sealed class NetlinkWriter
{
    private byte[] _buf;
    private int _len;

    public NetlinkWriter(ushort type, ushort flags, int capacity = 256)
    {
        _buf = new byte[Math.Max(capacity, 64)];
        _len = Nl.HeaderLength;
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(6), flags);
    }

    public ushort Type => BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan(4));
    public ushort Flags => BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan(6));
    public int Length => _len;

    /// <summary>Appends zeroed space for a fixed structure (ifinfomsg, rtmsg, ...) and returns it to fill in.</summary>
    public Span<byte> Reserve(int length)
    {
        int aligned = Nl.Align(length);
        Ensure(aligned);
        var span = _buf.AsSpan(_len, length);
        _buf.AsSpan(_len, aligned).Clear();
        _len += aligned;
        return span;
    }

    public void Attr(ushort type, ReadOnlySpan<byte> value)
    {
        int attrLen = 4 + value.Length;
        Ensure(Nl.Align(attrLen));
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(_len), (ushort)attrLen);
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(_len + 2), type);
        value.CopyTo(_buf.AsSpan(_len + 4));
        _buf.AsSpan(_len + attrLen, Nl.Align(attrLen) - attrLen).Clear();
        _len += Nl.Align(attrLen);
    }

    public void AttrU8(ushort type, byte v) => Attr(type, stackalloc byte[] { v });

    public void AttrU16(ushort type, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        Attr(type, b);
    }

    public void AttrU32(ushort type, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        Attr(type, b);
    }

    public void AttrS32(ushort type, int v) => AttrU32(type, unchecked((uint)v));

    /// <summary>Network byte order 16-bit value (ports).</summary>
    public void AttrBe16(ushort type, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        Attr(type, b);
    }

    public void AttrBe32(ushort type, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        Attr(type, b);
    }

    /// <summary>A NUL-terminated string attribute.</summary>
    public void AttrString(ushort type, string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        Span<byte> b = n < 512 ? stackalloc byte[n + 1] : new byte[n + 1];
        Encoding.UTF8.GetBytes(s, b);
        b[n] = 0;
        Attr(type, b);
    }

    public void AttrFlag(ushort type) => Attr(type, ReadOnlySpan<byte>.Empty);

    /// <summary>Starts a nested attribute (NLA_F_NESTED is not set: rtnetlink does not require it).</summary>
    public int BeginNested(ushort type, bool nestedFlag = false)
    {
        Ensure(4);
        int start = _len;
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(_len + 2), (ushort)(type | (nestedFlag ? 0x8000 : 0)));
        _len += 4;
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(start), (ushort)(_len - start));

    /// <summary>Adds header flags to a message already built (a batch asks for an ACK on its last message only).</summary>
    public void AddFlags(ushort flags) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(6), (ushort)(Flags | flags));

    /// <summary>Finishes the message with its sequence number and returns the bytes to send.</summary>
    public ReadOnlySpan<byte> Finish(uint seq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(0), (uint)_len);
        BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(12), 0);
        return _buf.AsSpan(0, _len);
    }

    /// <summary>The whole message bytes so far (tests and batching).</summary>
    public byte[] ToArray(uint seq) => Finish(seq).ToArray();

    private void Ensure(int extra)
    {
        if (_len + extra <= _buf.Length) return;
        Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + extra));
    }
}
