using VNet.Core.Filter;
using VNet.Core.Links;

namespace VNet.Core.Topology;

/// <summary>
/// Checks a whole document before an import changes anything: every value is parsed the way the
/// cmdlets parse it, names are unique per namespace, and every reference (a bridge's port, an
/// address's interface, a namespace) is described in the document. A bad value is reported with its
/// place in the file (bridges[1].name) and the reason the cmdlet would have given. References to
/// things outside the document (an underlay device, an existing namespace) are checked against the
/// kernel by the planner.
/// </summary>
internal static class TopologyValidator
{
    public static void Validate(TopologyDocument doc, string source)
    {
        void Check(string place, object? value, Action check)
        {
            try { check(); }
            catch (VNetException e) when (e.Category == VNetErrorCategory.InvalidArgument)
            {
                throw Bad(source, place, value, e.Message);
            }
        }

        if (doc.Version != TopologyDocument.CurrentVersion)
            throw Bad(source, "version", doc.Version, $"this VNet reads version {TopologyDocument.CurrentVersion}");
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Namespaces.Count; i++)
        {
            var n = doc.Namespaces[i];
            Check($"namespaces[{i}].name", n.Name, () => Validation.NamespaceName(n.Name));
            if (!namespaces.Add(n.Name)) throw Bad(source, $"namespaces[{i}].name", n.Name, "it is listed twice");
        }
        // Link names per namespace: bridges, both veth ends and tunnels share one name space.
        var links = new Dictionary<(string, string), string>();
        void Link(string place, string? ns, string? name, string what)
        {
            Check(place, name, () => Validation.LinkName(name, what));
            if (!links.TryAdd((ns ?? "", name!), place))
                throw Bad(source, place, name, $"{links[(ns ?? "", name!)]} already describes an interface of that name in {LinkService.NsText(ns)}");
        }
        void Ns(string place, string? ns)
        {
            if (ns == null || ns.StartsWith('/')) return;
            Check(place, ns, () => Validation.NamespaceName(ns));
        }
        void Mtu(string place, int? mtu)
        {
            if (mtu is int m) Check(place, m, () => Validation.Mtu(m));
        }
        for (int i = 0; i < doc.Bridges.Count; i++)
        {
            var b = doc.Bridges[i];
            Ns($"bridges[{i}].namespace", b.Namespace);
            Link($"bridges[{i}].name", b.Namespace, b.Name, "Name");
            Mtu($"bridges[{i}].mtu", b.Mtu);
        }
        for (int i = 0; i < doc.Veths.Count; i++)
        {
            var v = doc.Veths[i];
            Ns($"veths[{i}].namespace", v.Namespace);
            Ns($"veths[{i}].peerNamespace", v.PeerNamespace);
            Link($"veths[{i}].name", v.Namespace, v.Name, "Name");
            Link($"veths[{i}].peerName", v.PeerNamespace, v.PeerName, "PeerName");
            Mtu($"veths[{i}].mtu", v.Mtu);
        }
        for (int i = 0; i < doc.Vxlans.Count; i++)
        {
            var t = doc.Vxlans[i];
            Ns($"vxlans[{i}].namespace", t.Namespace);
            Link($"vxlans[{i}].name", t.Namespace, t.Name, "Name");
            Check($"vxlans[{i}].vni", t.Vni, () => VxlanService.CheckVni(t.Vni));
            if (t.Port is int p) Check($"vxlans[{i}].port", p, () => VxlanService.CheckPort(p));
            if (t.Local != null) Check($"vxlans[{i}].local", t.Local, () => Validation.Address(t.Local, "Local"));
            if (t.Remote != null) Check($"vxlans[{i}].remote", t.Remote, () => Validation.Address(t.Remote, "Remote"));
            if (t.Group != null) Check($"vxlans[{i}].group", t.Group, () => Validation.Address(t.Group, "Group"));
            if (t.Remote != null && t.Group != null) throw Bad(source, $"vxlans[{i}].group", t.Group, "a tunnel has a remote or a group, not both");
            if (t.Device != null) Check($"vxlans[{i}].device", t.Device, () => Validation.LinkName(t.Device, "Device"));
            Mtu($"vxlans[{i}].mtu", t.Mtu);
            for (int j = 0; j < (t.Peers?.Count ?? 0); j++)
            {
                string peer = t.Peers![j];
                Check($"vxlans[{i}].peers[{j}]", peer, () => Validation.Address(peer, "Remote"));
            }
        }
        for (int i = 0; i < doc.Bridges.Count; i++)
        {
            var b = doc.Bridges[i];
            for (int j = 0; j < (b.Ports?.Count ?? 0); j++)
            {
                string port = b.Ports![j];
                Check($"bridges[{i}].ports[{j}]", port, () => Validation.LinkName(port, "Interface"));
                if (links.TryGetValue((b.Namespace ?? "", port), out var what) && what.StartsWith("bridges", StringComparison.Ordinal))
                    throw Bad(source, $"bridges[{i}].ports[{j}]", port, "a bridge cannot be a port of another bridge here");
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Addresses.Count; i++)
        {
            var a = doc.Addresses[i];
            Ns($"addresses[{i}].namespace", a.Namespace);
            Check($"addresses[{i}].interface", a.Interface, () => Validation.LinkName(a.Interface, "InterfaceName"));
            Check($"addresses[{i}].address", a.Address, () => Validation.Cidr(a.Address, requirePrefix: true));
            if (!links.ContainsKey((a.Namespace ?? "", a.Interface)))
                throw Bad(source, $"addresses[{i}].interface", a.Interface, $"no bridge, veth end or tunnel of that name is described in {LinkService.NsText(a.Namespace)}");
            if (!seen.Add($"{a.Namespace}\u0000{a.Interface}\u0000{a.Address}"))
                throw Bad(source, $"addresses[{i}].address", a.Address, "it is listed twice");
        }
        for (int i = 0; i < doc.Routes.Count; i++)
        {
            var r = doc.Routes[i];
            Ns($"routes[{i}].namespace", r.Namespace);
            if (r.Gateway != null) Check($"routes[{i}].gateway", r.Gateway, () => Validation.Address(r.Gateway, "Gateway"));
            if (!string.Equals(r.Destination, "default", StringComparison.OrdinalIgnoreCase))
                Check($"routes[{i}].destination", r.Destination, () => Validation.Cidr(r.Destination, requirePrefix: true));
            if (r.Interface != null)
            {
                Check($"routes[{i}].interface", r.Interface, () => Validation.LinkName(r.Interface, "InterfaceName"));
                if (!links.ContainsKey((r.Namespace ?? "", r.Interface)))
                    throw Bad(source, $"routes[{i}].interface", r.Interface, $"no bridge, veth end or tunnel of that name is described in {LinkService.NsText(r.Namespace)}");
            }
            else if (r.Gateway == null) throw Bad(source, $"routes[{i}]", r.Destination, "a route needs a gateway or an interface");
            if (r.Metric is int m && m < 0) throw Bad(source, $"routes[{i}].metric", m, "a metric is 0 or more");
        }
        for (int i = 0; i < doc.Nat.Count; i++)
        {
            var n = doc.Nat[i];
            Ns($"nat[{i}].namespace", n.Namespace);
            if (n.Kind is not ("Masquerade" or "Snat" or "Publish"))
                throw Bad(source, $"nat[{i}].kind", n.Kind, "use Masquerade, Snat or Publish");
            if (n.Source != null) Check($"nat[{i}].source", n.Source, () => Validation.Cidr(n.Source));
            if (n.ToAddress != null) Check($"nat[{i}].toAddress", n.ToAddress, () => Validation.Address(n.ToAddress, "ToAddress"));
            if (n.HostAddress != null) Check($"nat[{i}].hostAddress", n.HostAddress, () => Validation.Address(n.HostAddress, "HostAddress"));
            if (n.OutInterface != null) Check($"nat[{i}].outInterface", n.OutInterface, () => Validation.LinkName(n.OutInterface, "OutInterface"));
            if (n.Kind == "Publish")
            {
                if (n.PublishPort == null) throw Bad(source, $"nat[{i}].publishPort", null, "a publish needs publishPort");
                if (n.ToAddress == null) throw Bad(source, $"nat[{i}].toAddress", null, "a publish needs toAddress");
                Check($"nat[{i}].publishPort", n.PublishPort, () => NatService.PortRange(n.PublishPort, "PublishPort"));
                if (n.ToPort != null) Check($"nat[{i}].toPort", n.ToPort, () => NatService.PortRange(n.ToPort, "ToPort"));
                if (n.Protocol is not (null or "tcp" or "udp")) throw Bad(source, $"nat[{i}].protocol", n.Protocol, "use tcp or udp");
            }
            else
            {
                if (n.Source == null) throw Bad(source, $"nat[{i}].source", null, $"a {n.Kind} rule needs source");
                if (n.Kind == "Snat" && n.ToAddress == null) throw Bad(source, $"nat[{i}].toAddress", null, "an Snat rule needs toAddress");
            }
        }
        foreach (var key in doc.Extensions?.Keys ?? Enumerable.Empty<string>())
            if (!TopologyExporter.Sections.Any(s => s.Name == key))
                throw Bad(source, key, key, "this VNet has no support for that section (it comes from a newer VNet or a layer that is not installed)");
    }

    internal static VNetException Bad(string source, string place, object? value, string reason) =>
        Messages.Error("TopologyValueInvalid", VNetErrorCategory.InvalidArgument, value, source, place, value ?? "(missing)", reason);
}
