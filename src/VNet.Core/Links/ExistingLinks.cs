namespace VNet.Core.Links;

/// <summary>
/// "Make sure it exists" for re-runnable scripts (the -Force of the New- cmdlets, as New-Item
/// -Force): each check returns the link already there when it is what was asked, null when there
/// is none (then the caller creates it), and throws ExistsDifferently naming every difference when
/// a link of that name is something else. Only what the caller asked for is compared: a bridge
/// asked for without -Mtu matches whatever its MTU is.
/// </summary>
public static class ExistingLinks
{
    public static NetLink? Bridge(NetContext ctx, string name, string? ns, int? mtu, string? macAddress, bool isolated)
    {
        Validation.LinkName(name);
        var link = ctx.Links.TryGet(name, ns);
        if (link == null) return null;
        var diffs = new List<string>();
        if (link.Kind != "bridge") diffs.Add($"it is a {link.Kind}, not a bridge");
        else
        {
            Common(link, mtu, macAddress, diffs);
            if (isolated && !ctx.Nat.IsolatedBridges(ns).Contains(name)) diffs.Add("it is not isolated (Set-NetBridge -Isolated makes it so)");
        }
        return Check(link, link.Kind == "bridge" ? "Bridge" : "An interface", name, ns, diffs);
    }

    public static VethPair? Veth(NetContext ctx, VethSpec spec)
    {
        Validation.LinkName(spec.Name);
        Validation.LinkName(spec.PeerName, "PeerName");
        var link = ctx.Links.TryGet(spec.Name, spec.Namespace);
        if (link == null) return null;
        var diffs = new List<string>();
        VethPair? pair = null;
        if (link.Kind != "veth") diffs.Add($"it is a {link.Kind}, not a veth");
        else
        {
            pair = ctx.Veths.List(spec.Namespace, spec.Name).FirstOrDefault();
            Common(link, spec.Mtu, spec.MacAddress, diffs);
            if (pair != null)
            {
                if (pair.PeerName != spec.PeerName) diffs.Add($"its peer is '{pair.PeerName ?? "?"}', not '{spec.PeerName}'");
                ulong wantIno = ctx.Resolve(spec.PeerNamespace).Inode;
                if (pair.PeerNamespaceInode != wantIno)
                    diffs.Add($"its peer is in {LinkService.NsText(pair.PeerNamespace)}, not {LinkService.NsText(spec.PeerNamespace)}");
                if (spec.PeerMacAddress != null && !SameMac(pair.PeerMacAddress, spec.PeerMacAddress))
                    diffs.Add($"its peer's MAC address is {pair.PeerMacAddress}, not {spec.PeerMacAddress}");
            }
            // On no bridge yet is what a build killed between the pair and its port leaves: VethService
            // converges that (ReuseExisting). On another bridge is a real difference.
            if (spec.Bridge != null && link.Master != null && link.Master != spec.Bridge)
                diffs.Add($"it is on bridge '{link.Master}', not '{spec.Bridge}'");
        }
        return Check(pair, link.Kind == "veth" ? "Veth pair" : "An interface", spec.Name, spec.Namespace, diffs);
    }

    public static VxlanTunnel? Vxlan(NetContext ctx, VxlanSpec spec)
    {
        Validation.LinkName(spec.Name);
        var link = ctx.Links.TryGet(spec.Name, spec.Namespace);
        if (link == null) return null;
        if (link.Kind != "vxlan") return Check<VxlanTunnel>(null, "An interface", spec.Name, spec.Namespace, new() { $"it is a {link.Kind}, not a VXLAN tunnel" });
        var t = ctx.Vxlans.Get(spec.Name, spec.Namespace);
        var diffs = new List<string>();
        if (t.Vni != spec.Vni) diffs.Add($"its VNI is {t.Vni}, not {spec.Vni}");
        if (spec.Remote != null && !SameAddress(t.Remote, spec.Remote)) diffs.Add($"its remote is {t.Remote ?? "(none)"}, not {spec.Remote}");
        if (spec.Group != null && !SameAddress(t.Group, spec.Group)) diffs.Add($"its group is {t.Group ?? "(none)"}, not {spec.Group}");
        if (spec.Local != null && !SameAddress(t.Local, spec.Local)) diffs.Add($"its local address is {t.Local ?? "(none)"}, not {spec.Local}");
        if (spec.Device != null && t.Device != spec.Device) diffs.Add($"its device is {t.Device ?? "(none)"}, not {spec.Device}");
        if (t.Port != spec.Port) diffs.Add($"its port is {t.Port}, not {spec.Port}");
        if (spec.Bridge != null && t.Bridge != spec.Bridge) diffs.Add($"it is on bridge '{t.Bridge ?? "(none)"}', not '{spec.Bridge}'");
        if (spec.Mtu is int m && t.Mtu != m) diffs.Add($"its MTU is {t.Mtu}, not {m}");
        return Check(t, "VXLAN tunnel", spec.Name, spec.Namespace, diffs);
    }

    /// <summary>A macvlan or VLAN link (<paramref name="kind"/>) on <paramref name="parent"/>, looked for where it was put (-ToNamespace) or made.</summary>
    public static NetLink? Child(NetContext ctx, string kind, string name, string parent, string? ns, string? toNamespace, int? mtu, string? macAddress)
    {
        Validation.LinkName(name);
        string? where = toNamespace ?? ns;
        var link = ctx.Links.TryGet(name, where);
        if (link == null) return null;
        var diffs = new List<string>();
        if (link.Kind != kind) diffs.Add($"it is a {link.Kind}, not a {kind}");
        else
        {
            Common(link, mtu, macAddress, diffs);
            // The parent is known by index only while both are in one namespace.
            if (toNamespace == null && ctx.Links.TryGet(parent, ns) is NetLink p && link.LinkIndex != p.Index)
                diffs.Add($"its parent is not '{parent}'");
        }
        return Check(link, link.Kind != kind ? "An interface" : kind == "vlan" ? "VLAN link" : "Macvlan link", name, where, diffs);
    }

    private static void Common(NetLink link, int? mtu, string? macAddress, List<string> diffs)
    {
        if (mtu is int m && link.Mtu != m) diffs.Add($"its MTU is {link.Mtu}, not {m}");
        if (macAddress != null && !SameMac(link.MacAddress, macAddress)) diffs.Add($"its MAC address is {link.MacAddress}, not {macAddress}");
    }

    private static bool SameMac(string? have, string want) =>
        have != null && Validation.FormatMac(Validation.MacAddress(want, allowMulticast: true)) == have;

    private static bool SameAddress(string? have, string want) =>
        have != null && System.Net.IPAddress.TryParse(have, out var a) && a.Equals(Validation.Address(want, "Address"));

    private static T? Check<T>(T? found, string what, string name, string? ns, List<string> diffs) where T : class
    {
        if (diffs.Count > 0)
            throw Messages.Error("ExistsDifferently", VNetErrorCategory.ResourceExists, name, what, name, "in " + LinkService.NsText(ns), string.Join("; ", diffs));
        return found;
    }
}
