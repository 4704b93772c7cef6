using System.Net;
using VNet.Core.Links;

namespace VNet.Core.Topology;

/// <summary>
/// A section of the topology document that a layer above the kernel objects contributes (container
/// networks): it exports its part into <see cref="TopologyDocument.Extensions"/> under its name and
/// applies it after the kernel objects. The Networks layer registers itself in
/// <see cref="TopologyExporter.Sections"/>; without it, documents with such a section are refused on import.
/// </summary>
public interface ITopologySection
{
    /// <summary>The key in the document's extensions (e.g. "networks").</summary>
    string Name { get; }
    /// <summary>This section's content for the exported namespaces, or null when there is nothing.</summary>
    object? Export(NetContext ctx, IReadOnlyList<string?> namespaces);
    /// <summary>The steps that would make the section's content true (nothing is changed).</summary>
    IEnumerable<TopologyChange> Plan(NetContext ctx, object content, bool remove);
}

/// <summary>
/// Reads the current wiring through the kernel-object services (links, veths, bridges, tunnels,
/// addresses, routes, NAT) into a <see cref="TopologyDocument"/>. Only what can be made again is
/// described: bridges, veth cables and VXLAN tunnels, the addresses and routes on them, NAT rules and
/// publishes. Loopback, hardware devices and what the kernel adds by itself (link-local and host
/// addresses, routes of connected subnets) are left out, so that importing the document or removing
/// what it describes never touches the host's own network.
/// </summary>
public sealed class TopologyExporter
{
    /// <summary>Sections contributed by higher layers (see <see cref="ITopologySection"/>).</summary>
    public static readonly List<ITopologySection> Sections = new();

    private readonly NetContext _ctx;

    public TopologyExporter(NetContext ctx) => _ctx = ctx;

    /// <summary>Notes for -Verbose (what could not be read and why).</summary>
    public List<string> Notes { get; } = new();

    /// <summary>
    /// The namespaces an export covers when none are named: the caller's own and every named one
    /// (/run/netns).
    /// </summary>
    public List<string?> DefaultNamespaces()
    {
        var list = new List<string?> { null };
        list.AddRange(_ctx.Namespaces.List(includeProcesses: false)
            .Where(n => n.Name != null && !n.IsCurrent).Select(n => (string?)n.Name).Order(StringComparer.Ordinal));
        return list;
    }

    /// <param name="namespaces">Namespaces to describe; null or empty for <see cref="DefaultNamespaces"/>. "" is the caller's own.</param>
    public TopologyDocument Export(IEnumerable<string?>? namespaces = null)
    {
        var list = (namespaces?.Select(n => string.IsNullOrEmpty(n) ? null : n).Distinct().ToList() is { Count: > 0 } l) ? l : DefaultNamespaces();
        foreach (var n in list) _ctx.Resolve(n); // every namespace named must exist, before anything is read
        var doc = new TopologyDocument();
        var cables = new Dictionary<string, TopologyVeth>(StringComparer.Ordinal);
        foreach (var ns in list)
        {
            if (ns != null && !ns.StartsWith('/'))
            {
                var fwd4 = _ctx.Forwarding.Get(ns, "IPv4").Enabled;
                var fwd6 = _ctx.Forwarding.Get(ns, "IPv6").Enabled;
                doc.Namespaces.Add(new TopologyNamespace { Name = ns, Ipv4Forwarding = fwd4 ? true : null, Ipv6Forwarding = fwd6 ? true : null });
            }
            var links = _ctx.Links.List(ns);
            var described = new HashSet<string>(StringComparer.Ordinal);
            List<string> isolated;
            try { isolated = _ctx.Nat.IsolatedBridges(ns); }
            catch (VNetException e) { isolated = new(); Notes.Add(e.Message); }
            foreach (var br in links.Where(x => x.Kind == "bridge"))
            {
                described.Add(br.Name);
                var ports = links.Where(x => x.MasterIndex == br.Index).Select(x => x.Name).Order(StringComparer.Ordinal).ToList();
                doc.Bridges.Add(new TopologyBridge
                {
                    Name = br.Name, Namespace = ns, Mtu = Mtu(br.Mtu), Down = br.AdminUp ? null : true,
                    Isolated = isolated.Contains(br.Name) ? true : null, Ports = ports.Count > 0 ? ports : null,
                });
            }
            foreach (var v in _ctx.Veths.List(ns))
            {
                // A veth whose far end cannot be found (in a namespace without a name VNet can see, such
                // as an emulated host's uplink) is not VNet's to make again: it is treated like hardware.
                if (v.PeerName == null) continue;
                described.Add(v.Name);
                var me = links.First(x => x.Index == v.Index);
                // A cable seen from both ends is described once: the key is its two ends in a fixed order.
                string a = $"{ns}\u0000{v.Name}", b = $"{v.PeerNamespace}\u0000{v.PeerName}";
                string key = string.CompareOrdinal(a, b) <= 0 ? a + "\u0001" + b : b + "\u0001" + a;
                if (cables.ContainsKey(key)) continue;
                NetLink? peer = SafeGet(v.PeerName, v.PeerNamespace);
                bool meDown = !me.AdminUp, peerDown = peer != null && !peer.AdminUp;
                // The end that sorts first (by namespace, then name) is written first, whichever was listed first.
                bool swap = string.CompareOrdinal(a, b) > 0;
                cables[key] = new TopologyVeth
                {
                    Name = swap ? v.PeerName : v.Name, Namespace = swap ? v.PeerNamespace : ns,
                    PeerName = swap ? v.Name : v.PeerName, PeerNamespace = swap ? ns : v.PeerNamespace,
                    Mtu = Mtu(v.Mtu), Down = (swap ? peerDown : meDown) ? true : null, PeerDown = (swap ? meDown : peerDown) ? true : null,
                };
            }
            foreach (var t in _ctx.Vxlans.List(ns))
            {
                described.Add(t.Name);
                var me = links.First(x => x.Index == t.Index);
                var peers = _ctx.Vxlans.ListPeers(t.Name, ns).Where(p => p.Flood && p.Remote != t.Remote)
                    .Select(p => p.Remote).Distinct().OrderBy(p => IPAddress.Parse(p).GetAddressBytes(), ByteOrder.Instance).ToList();
                doc.Vxlans.Add(new TopologyVxlan
                {
                    Name = t.Name, Namespace = ns, Vni = t.Vni, Local = t.Local, Remote = t.Remote, Group = t.Group, Device = t.Device,
                    Port = t.Port == VxlanService.IanaPort ? null : t.Port, NoLearning = t.Learning ? null : true,
                    Mtu = t.Mtu, Down = me.AdminUp ? null : true, Peers = peers.Count > 0 ? peers : null,
                });
            }
            foreach (var a in _ctx.Addresses.List(ns))
            {
                if (!described.Contains(a.InterfaceName) || a.Scope is "link" or "host") continue;
                if (!a.Flags.Contains("permanent")) continue; // SLAAC and DHCP addresses come and go by themselves
                doc.Addresses.Add(new TopologyAddress { Namespace = ns, Interface = a.InterfaceName, Address = a.Cidr });
            }
            foreach (var r in _ctx.Routes.List(ns))
            {
                if (r.Protocol == "kernel" || r.Type != "unicast" || r.InterfaceName == null || !described.Contains(r.InterfaceName)) continue;
                bool v6 = r.AddressFamily == "IPv6";
                doc.Routes.Add(new TopologyRoute
                {
                    Namespace = ns, Destination = r.Destination, Gateway = r.Gateway, Interface = r.InterfaceName,
                    // The kernel's own default metric (0 for IPv4, 1024 for IPv6) is left out.
                    Metric = r.Metric == 0 || (v6 && r.Metric == 1024) ? null : r.Metric,
                });
            }
            try
            {
                foreach (var n in _ctx.Nat.List(ns))
                    doc.Nat.Add(new TopologyNat
                    {
                        Namespace = ns, Kind = n.Kind, Source = n.Source, OutInterface = n.OutInterface, ToAddress = n.ToAddress,
                        Protocol = n.Kind == "Publish" ? n.Protocol : null, PublishPort = n.PublishPort,
                        ToPort = n.ToPort == n.PublishPort ? null : n.ToPort, HostAddress = n.HostAddress,
                    });
            }
            catch (VNetException e) when (e.ErrorId == "NftablesMissing")
            {
                Notes.Add(e.Message);
            }
        }
        doc.Veths.AddRange(cables.Values);
        foreach (var s in Sections)
        {
            var content = s.Export(_ctx, list);
            if (content != null) (doc.Extensions ??= new())[s.Name] = content;
        }
        Sort(doc);
        return doc;
    }

    private NetLink? SafeGet(string name, string? ns)
    {
        try { return _ctx.Links.TryGet(name, ns); }
        catch (VNetException) { return null; }
    }

    private static int? Mtu(int mtu) => mtu == 1500 ? null : mtu;

    /// <summary>The document's fixed order: by namespace (the caller's first), then by name, address or destination.</summary>
    public static void Sort(TopologyDocument doc)
    {
        static string N(string? ns) => ns ?? "";
        var o = StringComparer.Ordinal;
        doc.Namespaces = doc.Namespaces.OrderBy(n => n.Name, o).ToList();
        doc.Bridges = doc.Bridges.OrderBy(b => N(b.Namespace), o).ThenBy(b => b.Name, o).ToList();
        doc.Veths = doc.Veths.OrderBy(v => N(v.Namespace), o).ThenBy(v => v.Name, o).ToList();
        doc.Vxlans = doc.Vxlans.OrderBy(v => N(v.Namespace), o).ThenBy(v => v.Name, o).ToList();
        doc.Addresses = doc.Addresses.OrderBy(a => N(a.Namespace), o).ThenBy(a => a.Interface, o).ThenBy(a => a.Address, AddressOrder.Instance).ToList();
        doc.Routes = doc.Routes.OrderBy(r => N(r.Namespace), o).ThenBy(r => r.Destination == "default" ? "" : r.Destination, AddressOrder.Instance)
            .ThenBy(r => r.Metric ?? 0).ThenBy(r => r.Gateway ?? "", o).ToList();
        doc.Nat = doc.Nat.OrderBy(n => N(n.Namespace), o).ThenBy(n => n.Kind, o).ThenBy(n => n.Source ?? "", o).ThenBy(n => n.Protocol ?? "", o)
            .ThenBy(n => n.PublishPort ?? "", o).ThenBy(n => n.OutInterface ?? "", o).ThenBy(n => n.ToAddress ?? "", o).ToList();
    }

    /// <summary>Orders addresses and CIDRs numerically (198.51.100.9 before 198.51.100.10), IPv4 before IPv6.</summary>
    private sealed class AddressOrder : IComparer<string>
    {
        public static readonly AddressOrder Instance = new();
        public int Compare(string? x, string? y)
        {
            static (byte[]? Bytes, int Len) P(string? s)
            {
                if (string.IsNullOrEmpty(s)) return (null, 0);
                var parts = s.Split('/');
                return IPAddress.TryParse(parts[0], out var ip) ? (ip.GetAddressBytes(), parts.Length > 1 && int.TryParse(parts[1], out int l) ? l : 0) : (null, 0);
            }
            var (a, al) = P(x);
            var (b, bl) = P(y);
            if (a == null || b == null) return string.CompareOrdinal(x, y);
            int c = ByteOrder.Instance.Compare(a, b);
            return c != 0 ? c : al.CompareTo(bl);
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y)
        {
            if (x!.Length != y!.Length) return x.Length.CompareTo(y.Length);
            for (int i = 0; i < x.Length; i++) if (x[i] != y[i]) return x[i].CompareTo(y[i]);
            return 0;
        }
    }
}
