using System.Buffers.Binary;
using VNet.Core.Namespaces;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Links;

/// <summary>Changes to apply to a link with <see cref="LinkService.Set"/>; null means leave as it is.</summary>
public sealed class LinkChange
{
    public bool? Up { get; set; }
    public int? Mtu { get; set; }
    public string? NewName { get; set; }
    public string? MacAddress { get; set; }
    /// <summary>A bridge to attach to; "" detaches (nomaster).</summary>
    public string? Master { get; set; }
    /// <summary>Move the link into this namespace (a /run/netns name or a path).</summary>
    public string? ToNamespace { get; set; }
}

/// <summary>Links of any kind: list, get, change, delete (RTM_*LINK).</summary>
public sealed class LinkService
{
    private readonly NetContext _ctx;

    internal LinkService(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// The kinds a link can have, as NetLink.Kind names them: the kernel's rtnetlink kinds
    /// (IFLA_INFO_KIND) a container host meets, plus VNet's loopback and device (hardware without a
    /// kind). Get-NetLink -Kind refuses anything else rather than silently finding nothing.
    /// </summary>
    public static readonly string[] KnownKinds =
    {
        "bond", "bridge", "device", "dummy", "geneve", "gre", "gretap", "ifb", "ip6gre", "ip6gretap", "ip6tnl", "ipip",
        "ipvlan", "ipvtap", "loopback", "macsec", "macvlan", "macvtap", "netkit", "nlmon", "sit", "team", "tun", "veth",
        "vlan", "vrf", "vti", "vxlan", "wireguard", "xfrm",
    };

    /// <summary>Every link of a namespace, optionally filtered by name pattern and kind.</summary>
    public List<NetLink> List(string? ns = null, string? namePattern = null, string? kind = null)
    {
        if (kind != null && !KnownKinds.Contains(kind, StringComparer.OrdinalIgnoreCase) && !kind.StartsWith("type", StringComparison.Ordinal))
            throw Messages.Error("UnknownLinkKind", VNetErrorCategory.InvalidArgument, kind, kind, string.Join(", ", KnownKinds));
        var sock = _ctx.Socket(ns);
        if (namePattern != null && !Wildcard.HasWildcard(namePattern))
        {
            var one = TryGet(namePattern, ns);
            return one != null && (kind == null || string.Equals(one.Kind, kind, StringComparison.OrdinalIgnoreCase)) ? new List<NetLink> { one } : new List<NetLink>();
        }
        var req = new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST | Nl.F_DUMP);
        IfInfoMsg.Write(req);
        req.AttrU32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        var msgs = sock.Dump(req, "list links", ns);
        var all = new List<NetLink>(msgs.Count);
        var byIndex = new Dictionary<int, NetLink>(msgs.Count);
        foreach (var m in msgs)
        {
            if (m.Type != Rtm.NEWLINK) continue;
            var link = Parse(m, ns, null);
            all.Add(link);
            byIndex[link.Index] = link;
        }
        var result = new List<NetLink>(all.Count);
        foreach (var link in all)
        {
            if (link.MasterIndex is int mi) NameMaster(link, byIndex.GetValueOrDefault(mi));
            if (link.LinkNetnsId == null && link.LinkIndex is int li && byIndex.TryGetValue(li, out var lower)) link.LinkName = lower.Name;
            if (namePattern != null && !Wildcard.IsMatch(link.Name, namePattern)) continue;
            if (kind != null && !string.Equals(link.Kind, kind, StringComparison.OrdinalIgnoreCase)) continue;
            result.Add(link);
        }
        return result;
    }

    /// <summary>Links of one kind with their kind-specific attributes (IFLA_INFO_DATA), for the per-kind services.</summary>
    internal List<(NetLink Link, AttributeSet? Data)> ListWithData(string? ns, string kind)
    {
        var req = new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST | Nl.F_DUMP);
        IfInfoMsg.Write(req);
        req.AttrU32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        int li = req.BeginNested(Ifla.LINKINFO);
        req.AttrString(Ifla.INFO_KIND, kind); // the kernel filters the dump by kind
        req.EndNested(li);
        var result = new List<(NetLink, AttributeSet?)>();
        var byIndex = new Dictionary<int, NetLink>();
        var all = new List<NetLink>();
        foreach (var m in _ctx.Socket(ns).Dump(req, $"list {kind} links", ns))
        {
            if (m.Type != Rtm.NEWLINK) continue;
            var link = Parse(m, ns);
            if (link.Kind != kind) continue;
            result.Add((link, m.Attributes(Ifla.IfInfoMsgLength).Nested(Ifla.LINKINFO)?.Nested(Ifla.INFO_DATA)));
        }
        if (result.Any(r => r.Item1.MasterIndex != null))
        {
            var names = List(ns).ToDictionary(l => l.Index, l => l);
            foreach (var (l, _) in result)
                if (l.MasterIndex is int mi) NameMaster(l, names.GetValueOrDefault(mi));
        }
        return result;
    }

    /// <summary>One link by name; LinkNotFound if it is not there.</summary>
    public NetLink Get(string name, string? ns = null) =>
        TryGet(name, ns) ?? throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, NsText(ns));

    public NetLink? TryGet(string name, string? ns = null) => TryGet(name, ns, resolveMaster: true);

    /// <summary>
    /// One link by name. Naming its master costs a second request, which callers that only need
    /// the index or kind skip (a bulk build asks for links thousands of times).
    /// </summary>
    internal NetLink? TryGet(string name, string? ns, bool resolveMaster)
    {
        Validation.LinkName(name);
        var req = new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST);
        IfInfoMsg.Write(req);
        req.AttrU32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        req.AttrString(Ifla.IFNAME, name);
        return GetOne(req, ns, name, resolveMaster);
    }

    internal NetLink Get(string name, string? ns, bool resolveMaster) =>
        TryGet(name, ns, resolveMaster) ?? throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, NsText(ns));

    public NetLink? TryGetByIndex(int index, string? ns = null) => TryGetByIndex(index, ns, resolveMaster: true);

    private NetLink? TryGetByIndex(int index, string? ns, bool resolveMaster)
    {
        var req = new NetlinkWriter(Rtm.GETLINK, Nl.F_REQUEST);
        IfInfoMsg.Write(req, index);
        req.AttrU32(Ifla.EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        return GetOne(req, ns, index, resolveMaster);
    }

    private NetLink? GetOne(NetlinkWriter req, string? ns, object target, bool resolveMaster = true)
    {
        List<NetlinkMessage> replies;
        try
        {
            replies = _ctx.Socket(ns).Request(req, $"get link {target}", target);
        }
        catch (VNetException e) when (e.Errno == Sys.ENODEV)
        {
            return null;
        }
        foreach (var m in replies)
        {
            if (m.Type != Rtm.NEWLINK) continue;
            var link = Parse(m, ns, null);
            // Only the master's name and kind are needed, not its own master: one level, so a link
            // the kernel (or a fuzzer) reports as its own master cannot recurse until the stack
            // overflows and takes the user's pwsh with it (afl-fuzz found that).
            if (resolveMaster && link.MasterIndex is int mi) NameMaster(link, TryGetByIndex(mi, ns, resolveMaster: false));
            return link;
        }
        return null;
    }

    /// <summary>
    /// A bridge by name, for everything that plugs into one (ports, veths, tunnels, masters):
    /// BridgeNotFound or NotABridge naming it otherwise.
    /// </summary>
    internal NetLink GetBridge(string name, string? ns, string parameter = "Bridge")
    {
        Validation.LinkName(name, parameter);
        var br = TryGet(name, ns, resolveMaster: false)
            ?? throw Messages.Error("BridgeNotFound", VNetErrorCategory.ObjectNotFound, name, name, NsText(ns));
        if (br.Kind != "bridge") throw Messages.Error("NotABridge", VNetErrorCategory.InvalidArgument, name, name, br.Kind);
        return br;
    }

    /// <summary>Fills in a link's master (name, and kind when the link did not say) from the master link.</summary>
    private static void NameMaster(NetLink link, NetLink? master)
    {
        if (master == null) return;
        link.Master = master.Name;
        link.MasterKind ??= master.Kind;
    }

    /// <summary>Resolves a link name to its ifindex in a namespace.</summary>
    internal int IndexOf(string name, string? ns) => Get(name, ns, resolveMaster: false).Index;

    /// <summary>
    /// Brings a link up or down in one request that names it (the kernel looks it up by name when no
    /// index is given), rather than a lookup, a change and a read-back.
    /// </summary>
    public void SetUp(string name, bool up, string? ns = null)
    {
        Validation.LinkName(name);
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, up: up);
        req.AttrString(Ifla.IFNAME, name);
        try
        {
            _ctx.Socket(ns).Request(req, $"set link '{name}' {(up ? "up" : "down")}", name);
        }
        catch (VNetException e) when (e.Errno == Sys.ENODEV)
        {
            throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, NsText(ns));
        }
    }

    /// <summary>
    /// Applies the changes in one RTM_NEWLINK where the kernel allows it. A move to another namespace
    /// is sent last and on its own, since after it the link is no longer here to change.
    /// </summary>
    public NetLink Set(string name, LinkChange change, string? ns = null)
    {
        if (change.Mtu is int mtu) Validation.Mtu(mtu);
        if (change.NewName != null) Validation.LinkName(change.NewName, "NewName");
        byte[]? mac = change.MacAddress != null ? Validation.MacAddress(change.MacAddress) : null;
        var link = Get(name, ns);
        int masterIndex = -1;
        if (change.Master != null)
        {
            if (change.Master.Length == 0) masterIndex = 0;
            else masterIndex = GetBridge(change.Master, ns, "Master").Index;
        }
        NamespaceHandle? target = change.ToNamespace != null ? _ctx.Resolve(change.ToNamespace) : null;
        if (change.NewName != null && change.NewName != name && TryGet(change.NewName, ns) != null)
            throw Messages.Error("LinkExists", VNetErrorCategory.ResourceExists, change.NewName, change.NewName, NsText(ns));

        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, link.Index, change.Up);
        bool any = change.Up != null;
        if (change.Mtu is int m) { req.AttrU32(Ifla.MTU, (uint)m); any = true; }
        if (change.NewName != null && change.NewName != name) { req.AttrString(Ifla.IFNAME, change.NewName); any = true; }
        if (mac != null) { req.Attr(Ifla.ADDRESS, mac); any = true; }
        if (masterIndex >= 0) { req.AttrU32(Ifla.MASTER, (uint)masterIndex); any = true; }
        // Renaming needs the link down; the kernel says EBUSY otherwise. Do as `ip` users do: down, rename, restore.
        bool bounce = change.NewName != null && change.NewName != name && link.AdminUp;
        if (bounce) SetFlags(link.Index, false, ns, name);
        try
        {
            if (any) _ctx.Socket(ns).Request(req, $"change link '{name}'", name);
        }
        catch
        {
            if (bounce) SetFlags(link.Index, true, ns, name);
            throw;
        }
        if (bounce && change.Up != false) SetFlags(link.Index, true, ns, change.NewName!);
        string current = change.NewName ?? name;
        if (target != null)
        {
            var mv = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
            IfInfoMsg.Write(mv, link.Index);
            mv.AttrU32(Ifla.NET_NS_FD, (uint)target.Fd);
            try
            {
                _ctx.Socket(ns).Request(mv, $"move link '{current}' to namespace '{change.ToNamespace}'", current);
            }
            catch (VNetException e) when (e.Errno == Sys.EEXIST)
            {
                throw Messages.Error("LinkExists", VNetErrorCategory.ResourceExists, current, current, NsText(change.ToNamespace));
            }
            // A link moved into another namespace comes up down; keep it as the caller had it or asked.
            bool wantUp = change.Up ?? link.AdminUp;
            if (wantUp) SetUp(current, true, change.ToNamespace);
            return Get(current, change.ToNamespace);
        }
        return Get(current, ns);
    }

    /// <summary>Puts a link on a master (0: off it), bringing it up too when asked, in one request.</summary>
    internal void SetMaster(int index, int masterIndex, bool up, string? ns, string name)
    {
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, index, up ? true : null);
        req.AttrU32(Ifla.MASTER, (uint)masterIndex);
        _ctx.Socket(ns).Request(req, $"change link '{name}'", name);
    }

    private void SetFlags(int index, bool up, string? ns, string name)
    {
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, index, up);
        _ctx.Socket(ns).Request(req, $"set link '{name}' {(up ? "up" : "down")}", name);
    }

    /// <summary>
    /// Deletes a link (for a veth, both ends go). Returns false when it was already gone; with
    /// strict, that is a LinkNotFound error. The link only: a bridge's firewall state goes with
    /// Orchestration/BridgeOperations.RemoveLink.
    /// </summary>
    public bool Remove(string name, string? ns = null, bool strict = false)
    {
        Validation.LinkName(name);
        var req = new NetlinkWriter(Rtm.DELLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req);
        req.AttrString(Ifla.IFNAME, name);
        try
        {
            _ctx.Socket(ns).Request(req, $"delete link '{name}'", name);
        }
        catch (VNetException e) when (e.Errno == Sys.ENODEV)
        {
            if (strict) throw Messages.Error("LinkNotFound", VNetErrorCategory.ObjectNotFound, name, name, NsText(ns));
            return false;
        }
        return true;
    }

    /// <summary>Deletes a link by index in one request; false when it was gone already.</summary>
    internal bool DeleteIndex(int index, string? ns)
    {
        var req = new NetlinkWriter(Rtm.DELLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, index);
        try
        {
            _ctx.Socket(ns).Request(req, $"delete link {index}", index);
            return true;
        }
        catch (VNetException e) when (e.Errno == Sys.ENODEV)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves a link just made (down) into <paramref name="toNamespace"/> and brings it up there; when
    /// that fails the link is removed, so a failed create leaves nothing (macvlan and VLAN children).
    /// </summary>
    internal NetLink MoveNewLink(string name, string? ns, string toNamespace)
    {
        try
        {
            return Set(name, new LinkChange { ToNamespace = toNamespace, Up = true }, ns);
        }
        catch
        {
            Remove(name, ns);
            throw;
        }
    }

    /// <summary>Creates a link of a kind that needs only a name and an optional MTU/MAC (bridge and friends).</summary>
    internal NetLink CreateSimple(string name, string kind, string? ns, int? mtu, string? macAddress, bool up,
        Action<NetlinkWriter>? infoData = null, Action<NetlinkWriter>? extra = null)
    {
        Validation.LinkName(name);
        if (mtu is int m) Validation.Mtu(m);
        byte[]? mac = macAddress != null ? Validation.MacAddress(macAddress) : null;
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK | Nl.F_CREATE | Nl.F_EXCL);
        IfInfoMsg.Write(req, up: up ? true : null);
        req.AttrString(Ifla.IFNAME, name);
        if (mtu is int mm) req.AttrU32(Ifla.MTU, (uint)mm);
        if (mac != null) req.Attr(Ifla.ADDRESS, mac);
        extra?.Invoke(req);
        int li = req.BeginNested(Ifla.LINKINFO);
        req.AttrString(Ifla.INFO_KIND, kind);
        if (infoData != null)
        {
            int d = req.BeginNested(Ifla.INFO_DATA);
            infoData(req);
            req.EndNested(d);
        }
        req.EndNested(li);
        try
        {
            _ctx.Socket(ns).Request(req, $"create {kind} '{name}'", name);
        }
        catch (VNetException e) when (e.Errno == Sys.EEXIST)
        {
            throw Messages.Error("LinkExists", VNetErrorCategory.ResourceExists, name, name, NsText(ns));
        }
        return Get(name, ns);
    }

    public static string NsText(string? ns) => string.IsNullOrEmpty(ns) ? "the current namespace" : $"namespace '{ns}'";

    private static readonly string[] OperStates = { "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP" };
    private static readonly string[] PortStates = { "disabled", "listening", "learning", "forwarding", "blocking" };

    internal static NetLink Parse(NetlinkMessage m, string? ns, Dictionary<int, (string Name, string? Kind)>? names = null)
    {
        var ifi = m.Fixed(Ifla.IfInfoMsgLength);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(ifi.Slice(2));
        int index = BinaryPrimitives.ReadInt32LittleEndian(ifi.Slice(4));
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(ifi.Slice(8));
        var a = m.Attributes(Ifla.IfInfoMsgLength);
        var info = a.Nested(Ifla.LINKINFO);
        string? kind = info?.String(Ifla.INFO_KIND);
        string? slaveKind = info?.String(Ifla.INFO_SLAVE_KIND);
        string? portState = null;
        if (slaveKind == "bridge" && info!.Nested(Ifla.INFO_SLAVE_DATA)?.U8(1 /* IFLA_BRPORT_STATE */) is byte ps)
            portState = ps < PortStates.Length ? PortStates[ps] : ps.ToString();
        kind ??= (flags & Iff.LOOPBACK) != 0 ? "loopback" : type == 1 ? "device" : $"type{type}";
        byte op = a.U8(Ifla.OPERSTATE) ?? 0;
        int? master = a.S32(Ifla.MASTER);
        string? masterName = null, masterKind = slaveKind;
        if (master is int mi && names != null && names.TryGetValue(mi, out var mn))
        {
            masterName = mn.Name;
            masterKind ??= mn.Kind;
        }
        var mac = a.Bytes(Ifla.ADDRESS);
        return new NetLink
        {
            Name = a.String(Ifla.IFNAME) ?? throw new NetlinkParseException($"link {index} has no name"),
            Index = index,
            Namespace = ns,
            Kind = kind,
            State = op < OperStates.Length ? OperStates[op] : op.ToString(),
            AdminUp = (flags & Iff.UP) != 0,
            Mtu = (int)(a.U32(Ifla.MTU) ?? 0),
            MinMtu = (int?)a.U32(Ifla.MIN_MTU),
            MaxMtu = (int?)a.U32(Ifla.MAX_MTU),
            MacAddress = mac is { Length: > 0 } ? Validation.FormatMac(mac) : null,
            Master = masterName ?? (master is int x && x > 0 ? x.ToString() : null),
            MasterIndex = master is int y && y > 0 ? y : null,
            MasterKind = master is int z && z > 0 ? masterKind : null,
            LinkIndex = a.S32(Ifla.LINK),
            LinkNetnsId = a.S32(Ifla.LINK_NETNSID),
            Flags = FlagNames(flags),
            RawFlags = flags,
            Alias = a.String(Ifla.IFALIAS),
            PortState = portState,
        };
    }

    private static string[] FlagNames(uint f)
    {
        var l = new List<string>(6);
        if ((f & Iff.LOOPBACK) != 0) l.Add("LOOPBACK");
        if ((f & Iff.BROADCAST) != 0) l.Add("BROADCAST");
        if ((f & Iff.POINTOPOINT) != 0) l.Add("POINTOPOINT");
        if ((f & Iff.MULTICAST) != 0) l.Add("MULTICAST");
        if ((f & Iff.NOARP) != 0) l.Add("NOARP");
        if ((f & Iff.PROMISC) != 0) l.Add("PROMISC");
        if ((f & Iff.UP) != 0) l.Add("UP");
        if ((f & Iff.LOWER_UP) != 0) l.Add("LOWER_UP");
        return l.ToArray();
    }
}
