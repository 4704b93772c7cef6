using System.Text;

namespace VNet.Core.Filter;

/// <summary>
/// The user data libnftnl attaches to nf_tables rules and set elements: type-length-value entries
/// of (u8 type, u8 length, value). Type 0 is the comment in both (NFTNL_UDATA_RULE_COMMENT and
/// NFTNL_UDATA_SET_ELEM_COMMENT), a NUL-terminated string whose length counts the NUL. The kernel
/// keeps it opaque; `nft` and iptables-nft read it back, so VNet writes it the way they do.
/// </summary>
internal static class NftUserdata
{
    private const byte TypeComment = 0;

    /// <summary>The comment in user data, or null when it has none (or the entries do not fit).</summary>
    public static string? Comment(ReadOnlySpan<byte> tlvs)
    {
        for (int off = 0; off + 2 <= tlvs.Length;)
        {
            byte type = tlvs[off], len = tlvs[off + 1];
            if (off + 2 + len > tlvs.Length) break;
            if (type == TypeComment)
            {
                var v = tlvs.Slice(off + 2, len);
                int nul = v.IndexOf((byte)0);
                return Encoding.UTF8.GetString(nul >= 0 ? v[..nul] : v);
            }
            off += 2 + len;
        }
        return null;
    }

    /// <summary>A comment as user data: one entry whose length counts the closing NUL.</summary>
    public static byte[] ForComment(string comment)
    {
        int n = Encoding.UTF8.GetByteCount(comment);
        // nft caps a comment at 128 bytes; the u8 length could not say more than 255 anyway.
        if (n + 1 > 255) throw new ArgumentException($"comment of {n} bytes", nameof(comment));
        var ud = new byte[n + 3];
        ud[0] = TypeComment;
        ud[1] = (byte)(n + 1);
        Encoding.UTF8.GetBytes(comment, ud.AsSpan(2));
        return ud;
    }
}
