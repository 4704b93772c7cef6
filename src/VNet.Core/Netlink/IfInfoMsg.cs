using System.Buffers.Binary;

namespace VNet.Core.Netlink;

/// <summary>
/// The one writer of a link request's struct ifinfomsg (family, type, index, flags, change mask),
/// shared by every service that sends RTM_*LINK: links, veths, VXLAN, and namespaces bringing lo up.
/// </summary>
internal static class IfInfoMsg
{
    /// <summary>
    /// The header: the link's index (0: named by IFLA_IFNAME instead) and, when
    /// <paramref name="up"/> is given, the UP flag with it in the change mask, so the kernel touches
    /// no other flag. Without it the request leaves the link's state alone.
    /// </summary>
    public static void Write(NetlinkWriter req, int index = 0, bool? up = null)
    {
        var ifi = req.Reserve(Ifla.IfInfoMsgLength);
        BinaryPrimitives.WriteInt32LittleEndian(ifi.Slice(4), index);
        if (up is not bool u) return;
        BinaryPrimitives.WriteUInt32LittleEndian(ifi.Slice(8), u ? Iff.UP : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(ifi.Slice(12), Iff.UP);
    }
}
