namespace VNet.Core.Netlink;

/// <summary>Message types and flags from linux/netlink.h and linux/rtnetlink.h.</summary>
internal static class Nl
{
    public const int HeaderLength = 16;

    // nlmsg_type control messages
    public const ushort NOOP = 1, ERROR = 2, DONE = 3, OVERRUN = 4;

    // nlmsg_flags
    public const ushort F_REQUEST = 0x1, F_MULTI = 0x2, F_ACK = 0x4, F_ECHO = 0x8, F_DUMP_INTR = 0x10;
    public const ushort F_ROOT = 0x100, F_MATCH = 0x200, F_DUMP = F_ROOT | F_MATCH;
    public const ushort F_REPLACE = 0x100, F_EXCL = 0x200, F_CREATE = 0x400, F_APPEND = 0x800;
    // flags on NLMSG_ERROR
    public const ushort F_CAPPED = 0x100, F_ACK_TLVS = 0x200;

    // NLMSGERR_ATTR_*
    public const ushort ERR_ATTR_MSG = 1, ERR_ATTR_OFFS = 2;

    public static int Align(int len) => (len + 3) & ~3;
}

/// <summary>nfnetlink (linux/netfilter/nfnetlink.h): the batch markers and subsystems.</summary>
internal static class Nfnl
{
    public const ushort MSG_BATCH_BEGIN = 0x10, MSG_BATCH_END = 0x11;
    public const ushort SUBSYS_NFTABLES = 10;
}

/// <summary>rtnetlink message types.</summary>
internal static class Rtm
{
    public const ushort NEWLINK = 16, DELLINK = 17, GETLINK = 18, SETLINK = 19;
    public const ushort NEWADDR = 20, DELADDR = 21, GETADDR = 22;
    public const ushort NEWROUTE = 24, DELROUTE = 25, GETROUTE = 26;
    public const ushort NEWNEIGH = 28, DELNEIGH = 29, GETNEIGH = 30;
    public const ushort NEWNSID = 88, GETNSID = 90;
}

internal static class Ifla
{
    public const ushort ADDRESS = 1, BROADCAST = 2, IFNAME = 3, MTU = 4, LINK = 5, MASTER = 10,
        OPERSTATE = 16, LINKINFO = 18, NET_NS_PID = 19, IFALIAS = 20, NET_NS_FD = 28, EXT_MASK = 29,
        CARRIER = 33, LINK_NETNSID = 37, MIN_MTU = 50, MAX_MTU = 51, PERM_ADDRESS = 54;

    public const ushort INFO_KIND = 1, INFO_DATA = 2, INFO_SLAVE_KIND = 4, INFO_SLAVE_DATA = 5;
    public const ushort VETH_INFO_PEER = 1;
    public const int IfInfoMsgLength = 16;
    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;
}

internal static class Iff
{
    public const uint UP = 0x1, BROADCAST = 0x2, LOOPBACK = 0x8, POINTOPOINT = 0x10, RUNNING = 0x40,
        NOARP = 0x80, PROMISC = 0x100, MULTICAST = 0x1000, LOWER_UP = 0x10000;
}

internal static class Ifa
{
    public const ushort ADDRESS = 1, LOCAL = 2, LABEL = 3, BROADCAST = 4, CACHEINFO = 6, FLAGS = 8;
    public const int IfAddrMsgLength = 8;
    public const uint F_SECONDARY = 0x01, F_NODAD = 0x02, F_DADFAILED = 0x08, F_TENTATIVE = 0x40, F_PERMANENT = 0x80;
}

internal static class Rta
{
    public const ushort DST = 1, SRC = 2, IIF = 3, OIF = 4, GATEWAY = 5, PRIORITY = 6, PREFSRC = 7,
        METRICS = 8, MULTIPATH = 9, TABLE = 15, VIA = 18, PREF = 20;
    public const int RtMsgLength = 12;
    public const byte TABLE_MAIN = 254, TABLE_LOCAL = 255;
    public const byte PROT_KERNEL = 2, PROT_BOOT = 3, PROT_STATIC = 4;
    public const byte SCOPE_UNIVERSE = 0, SCOPE_LINK = 253, SCOPE_HOST = 254;
    public const byte RTN_UNICAST = 1, RTN_LOCAL = 2, RTN_BROADCAST = 3, RTN_MULTICAST = 5, RTN_BLACKHOLE = 6,
        RTN_UNREACHABLE = 7, RTN_PROHIBIT = 8;
}

internal static class Nda
{
    public const ushort DST = 1, LLADDR = 2, CACHEINFO = 3, VLAN = 5, PORT = 6, VNI = 7, IFINDEX = 8, MASTER = 9;
    public const int NdMsgLength = 12;
    public const ushort NUD_INCOMPLETE = 0x01, NUD_REACHABLE = 0x02, NUD_STALE = 0x04, NUD_DELAY = 0x08,
        NUD_PROBE = 0x10, NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;
    public const byte NTF_USE = 0x01, NTF_SELF = 0x02, NTF_MASTER = 0x04, NTF_EXT_LEARNED = 0x10;
}

internal static class Netnsa
{
    public const ushort NSID = 1, PID = 2, FD = 3;
}

internal static class AddressFamily
{
    public const byte UNSPEC = 0, INET = 2, BRIDGE = 7, INET6 = 10;
}
