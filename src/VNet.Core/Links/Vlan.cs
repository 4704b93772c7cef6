namespace VNet.Core.Links;

/// <summary>802.1Q VLAN links. Needs the kernel's 8021q support, which some kernels (this CI's) lack.</summary>
public sealed class VlanService
{
    private const ushort ID = 1;
    private readonly NetContext _ctx;

    internal VlanService(NetContext ctx) => _ctx = ctx;

    /// <summary>Whether this kernel can make VLAN links: from /proc/config.gz when readable, else from /proc/net/vlan.</summary>
    public static (bool Supported, string Reason) KernelSupport()
    {
        if (Directory.Exists("/proc/net/vlan")) return (true, "8021q is loaded");
        try
        {
            using var gz = new System.IO.Compression.GZipStream(File.OpenRead("/proc/config.gz"), System.IO.Compression.CompressionMode.Decompress);
            using var r = new StreamReader(gz);
            string? line;
            while ((line = r.ReadLine()) != null)
            {
                if (line.StartsWith("CONFIG_VLAN_8021Q=", StringComparison.Ordinal))
                    return (true, line);
            }
            return (false, "this kernel is built without 802.1Q VLAN support (CONFIG_VLAN_8021Q is not set in /proc/config.gz)");
        }
        catch (IOException)
        {
            return (true, "unknown (no /proc/config.gz); the kernel will say");
        }
    }

    /// <summary>`ip link add NAME link PARENT type vlan id ID`, optionally with MTU and MAC, and straight into another namespace.</summary>
    public NetLink Create(string name, string parent, int vlanId, string? ns = null, string? toNamespace = null, int? mtu = null, string? macAddress = null)
    {
        Validation.LinkName(name);
        Validation.LinkName(parent, "Parent");
        if (vlanId < 1 || vlanId > 4094)
            throw Messages.Error("InvalidVlanId", VNetErrorCategory.InvalidArgument, vlanId, vlanId);
        var p = _ctx.Links.TryGet(parent, ns)
            ?? throw Messages.Error("ParentNotFound", VNetErrorCategory.ObjectNotFound, parent, parent, LinkService.NsText(ns));
        var target = toNamespace != null ? _ctx.Resolve(toNamespace) : null; // fails before anything is made
        try
        {
            _ctx.Links.CreateSimple(name, "vlan", ns, mtu, macAddress, up: target == null,
                infoData: w => w.AttrU16(ID, (ushort)vlanId),
                extra: w => w.AttrU32(Netlink.Ifla.LINK, (uint)p.Index));
        }
        catch (VNetException e) when (e.Errno == Native.Sys.EOPNOTSUPP || e.ErrorId == "NotSupported")
        {
            var (_, reason) = KernelSupport();
            throw new VNetException("VlanNotSupported", VNetErrorCategory.NotImplemented,
                Messages.Format("VlanNotSupported", name, reason), name, e.Errno, e.KernelMessage, e);
        }
        return target == null ? _ctx.Links.Get(name, ns) : _ctx.Links.MoveNewLink(name, ns, toNamespace!);
    }
}
