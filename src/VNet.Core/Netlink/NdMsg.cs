using System.Buffers.Binary;
using System.Net;

namespace VNet.Core.Netlink;

/// <summary>
/// The one writer of a bridge FDB entry that sends a MAC to a remote VTEP (struct ndmsg of family
/// AF_BRIDGE, permanent, on the VXLAN device itself, with NDA_LLADDR and NDA_DST), shared by the
/// two services that make them: VXLAN peers (the all-zeros flood entry) and the FDB service (the
/// overlay's per-endpoint entries).
/// </summary>
internal static class NdMsg
{
    public static NetlinkWriter RemoteFdbEntry(ushort type, ushort flags, int ifindex, byte[] mac, IPAddress dst)
    {
        var req = new NetlinkWriter(type, flags);
        var nd = req.Reserve(Nda.NdMsgLength);
        nd[0] = AddressFamily.BRIDGE;
        BinaryPrimitives.WriteInt32LittleEndian(nd.Slice(4), ifindex);
        BinaryPrimitives.WriteUInt16LittleEndian(nd.Slice(8), (ushort)(Nda.NUD_PERMANENT | Nda.NUD_NOARP));
        nd[10] = Nda.NTF_SELF;
        req.Attr(Nda.LLADDR, mac);
        req.Attr(Nda.DST, dst.GetAddressBytes());
        return req;
    }
}
