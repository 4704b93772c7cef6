namespace VNet.Core.Links;

/// <summary>macvlan links (Docker's macvlan driver): a MAC of their own on a parent device.</summary>
public sealed class MacvlanService
{
    private const ushort MODE = 1;
    private static readonly Dictionary<string, uint> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["private"] = 1, ["vepa"] = 2, ["bridge"] = 4, ["passthru"] = 8,
    };

    private readonly NetContext _ctx;

    internal MacvlanService(NetContext ctx) => _ctx = ctx;

    /// <summary>`ip link add NAME link PARENT type macvlan mode MODE`, optionally straight into another namespace.</summary>
    public NetLink Create(string name, string parent, string mode = "bridge", string? ns = null, string? toNamespace = null,
        int? mtu = null, string? macAddress = null)
    {
        Validation.LinkName(name);
        Validation.LinkName(parent, "Parent");
        if (!Modes.TryGetValue(mode, out uint m))
            throw Messages.Error("InvalidMacvlanMode", VNetErrorCategory.InvalidArgument, mode, mode);
        var p = _ctx.Links.TryGet(parent, ns)
            ?? throw Messages.Error("ParentNotFound", VNetErrorCategory.ObjectNotFound, parent, parent, LinkService.NsText(ns));
        var target = toNamespace != null ? _ctx.Resolve(toNamespace) : null;
        _ctx.Links.CreateSimple(name, "macvlan", ns, mtu, macAddress, up: target == null,
            infoData: w => w.AttrU32(MODE, m),
            extra: w => w.AttrU32(Netlink.Ifla.LINK, (uint)p.Index));
        return target == null ? _ctx.Links.Get(name, ns) : _ctx.Links.MoveNewLink(name, ns, toNamespace!);
    }
}
