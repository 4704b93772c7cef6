using VNet.Core.Namespaces;

namespace VNet.Core.Sysctl;

/// <summary>IP forwarding of one namespace and family.</summary>
public sealed class NetIPForwarding
{
    public string? Namespace { get; init; }
    public string AddressFamily { get; init; } = "";
    public bool Enabled { get; init; }
    public override string ToString() => $"{AddressFamily} forwarding {(Enabled ? "on" : "off")}";
}

/// <summary>
/// net.ipv4.ip_forward and net.ipv6.conf.all.forwarding. /proc/sys/net shows the namespace of
/// the thread that opens the file, so reads and writes happen on the core's worker inside the namespace.
/// </summary>
public sealed class ForwardingService
{
    private readonly NetContext _ctx;

    internal ForwardingService(NetContext ctx) => _ctx = ctx;

    private static string PathOf(string family) => family == "IPv6"
        ? "/proc/sys/net/ipv6/conf/all/forwarding"
        : "/proc/sys/net/ipv4/ip_forward";

    private static string CheckFamily(string? family) => family switch
    {
        null or "" or "IPv4" => "IPv4",
        "IPv6" => "IPv6",
        _ => throw Messages.Error("InvalidAddressFamily", VNetErrorCategory.InvalidArgument, family, family),
    };

    public NetIPForwarding Get(string? ns = null, string? family = null)
    {
        family = CheckFamily(family);
        string path = PathOf(family);
        string text = Inside(ns, () => File.ReadAllText(path));
        return new NetIPForwarding { Namespace = ns, AddressFamily = family, Enabled = text.Trim() != "0" };
    }

    public NetIPForwarding Set(bool enabled, string? ns = null, string? family = null)
    {
        family = CheckFamily(family);
        string path = PathOf(family);
        try
        {
            Inside(ns, () => { File.WriteAllText(path, enabled ? "1" : "0"); return 0; });
        }
        catch (UnauthorizedAccessException)
        {
            throw VNetException.FromErrno(Native.Sys.EACCES, $"set {family} forwarding", ns);
        }
        catch (IOException e) when (e.HResult == Native.Sys.EPERM || e.Message.Contains("denied", StringComparison.OrdinalIgnoreCase))
        {
            throw VNetException.FromErrno(Native.Sys.EPERM, $"set {family} forwarding", ns);
        }
        return Get(ns, family);
    }

    private T Inside<T>(string? ns, Func<T> work)
    {
        var h = _ctx.Resolve(ns);
        return NamespaceThread.RunIn(h, work);
    }
}
