using System.Net;
using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;

namespace VNet.Core.Topology;

/// <summary>
/// Applies a topology document: <see cref="Plan"/> compares it with the kernel and lists the steps
/// (in dependency order: namespaces, bridges, veths, tunnels, ports, MTU and state, addresses,
/// routes, NAT; for a removal the reverse), <see cref="Apply"/> runs them. What already matches is a
/// Keep step and is not touched, so a second import changes nothing. What exists but differs in a way
/// that cannot be changed in place (a tunnel's VNI, a veth's peer) is a Differs step and is left as it
/// is. A failing step undoes the steps before it that created something, in reverse.
/// </summary>
public sealed class TopologyImporter
{
    private readonly NetContext _ctx;
    private readonly Dictionary<string, List<NetLink>> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newNamespaces = new(StringComparer.Ordinal);

    public TopologyImporter(NetContext ctx) => _ctx = ctx;

    /// <summary>Validates the document, then compares it with the kernel. Nothing is changed.</summary>
    public List<TopologyChange> Plan(TopologyDocument doc, string source, bool remove = false)
    {
        TopologyValidator.Validate(doc, source);
        CheckNamespaces(doc, source, remove);
        var steps = remove ? PlanRemove(doc) : PlanCreate(doc, source);
        foreach (var s in TopologyExporter.Sections)
            if (doc.Extensions?.TryGetValue(s.Name, out var content) == true && content != null)
            {
                if (remove) steps.InsertRange(0, s.Plan(_ctx, content, true));
                else steps.AddRange(s.Plan(_ctx, content, false));
            }
        return steps;
    }

    /// <summary>
    /// Runs the steps that change something, asking <paramref name="confirm"/> first (ShouldProcess);
    /// returns the steps done and the Differs steps. On a failure, what was created is removed again.
    /// </summary>
    public List<TopologyChange> Apply(List<TopologyChange> plan, Func<TopologyChange, bool> confirm)
    {
        var done = new List<TopologyChange>();
        try
        {
            foreach (var step in plan)
            {
                if (step.Action == "Keep") continue;
                if (step.Action == "Differs") { done.Add(step); continue; }
                if (step.Needed != null && !step.Needed()) continue;
                if (!confirm(step)) continue;
                step.Do?.Invoke();
                done.Add(step);
            }
        }
        catch
        {
            for (int i = done.Count - 1; i >= 0; i--)
            {
                try { done[i].Undo?.Invoke(); }
                catch (VNetException) { } // the first error is the one to report
            }
            throw;
        }
        return done;
    }

    private void CheckNamespaces(TopologyDocument doc, string source, bool remove)
    {
        var described = doc.Namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in doc.Namespaces)
            if (!Exists(n.Name)) _newNamespaces.Add(n.Name);
        void Need(string? ns, string place)
        {
            if (ns == null || described.Contains(ns)) return;
            if (!Exists(ns))
            {
                if (remove) { _newNamespaces.Add(ns); return; } // gone already: nothing to remove there
                throw TopologyValidator.Bad(source, place, ns, "the namespace does not exist and is not listed under namespaces");
            }
        }
        for (int i = 0; i < doc.Bridges.Count; i++) Need(doc.Bridges[i].Namespace, $"bridges[{i}].namespace");
        for (int i = 0; i < doc.Veths.Count; i++)
        {
            Need(doc.Veths[i].Namespace, $"veths[{i}].namespace");
            Need(doc.Veths[i].PeerNamespace, $"veths[{i}].peerNamespace");
        }
        for (int i = 0; i < doc.Vxlans.Count; i++) Need(doc.Vxlans[i].Namespace, $"vxlans[{i}].namespace");
        for (int i = 0; i < doc.Addresses.Count; i++) Need(doc.Addresses[i].Namespace, $"addresses[{i}].namespace");
        for (int i = 0; i < doc.Routes.Count; i++) Need(doc.Routes[i].Namespace, $"routes[{i}].namespace");
        for (int i = 0; i < doc.Nat.Count; i++) Need(doc.Nat[i].Namespace, $"nat[{i}].namespace");
    }

    private bool Exists(string ns)
    {
        try { _ctx.Resolve(ns); return true; }
        catch (VNetException e) when (e.ErrorId == "NamespaceNotFound") { return false; }
    }

    /// <summary>The links of a namespace as they were before the import (none in one it will create).</summary>
    private List<NetLink> LinksIn(string? ns)
    {
        if (ns != null && _newNamespaces.Contains(ns)) return new();
        string key = ns ?? "";
        if (!_links.TryGetValue(key, out var l)) _links[key] = l = _ctx.Links.List(ns);
        return l;
    }

    private NetLink? Find(string? ns, string name) => LinksIn(ns).FirstOrDefault(l => l.Name == name);
    private bool IsNew(string? ns) => ns != null && _newNamespaces.Contains(ns);

    private static TopologyChange Step(string action, string kind, string? ns, string name, string place, string? detail = null,
        Action? doIt = null, Action? undo = null) =>
        new() { Action = action, Kind = kind, Namespace = ns, Name = name, Place = place, Detail = detail, Do = doIt, Undo = undo };

    private List<TopologyChange> PlanCreate(TopologyDocument doc, string source)
    {
        var steps = new List<TopologyChange>();
        // Namespaces.
        for (int i = 0; i < doc.Namespaces.Count; i++)
        {
            var n = doc.Namespaces[i];
            string place = $"namespaces[{i}]";
            if (IsNew(n.Name))
                steps.Add(Step("Create", "Namespace", null, n.Name, place, null,
                    () => _ctx.Namespaces.Create(n.Name), () => _ctx.Namespaces.Remove(n.Name, strict: false)));
            else steps.Add(Step("Keep", "Namespace", null, n.Name, place));
            foreach (var (fam, want) in new[] { ("IPv4", n.Ipv4Forwarding), ("IPv6", n.Ipv6Forwarding) })
            {
                if (want != true) continue;
                if (!IsNew(n.Name) && _ctx.Forwarding.Get(n.Name, fam).Enabled) steps.Add(Step("Keep", "Forwarding", n.Name, fam, place));
                else steps.Add(Step("Change", "Forwarding", n.Name, fam, place, $"{fam} forwarding on", () => _ctx.Forwarding.Set(true, n.Name, fam)));
            }
        }
        var desiredMtu = new List<(string? Ns, string Name, int Mtu, string Place)>();
        var desiredDown = new List<(string? Ns, string Name, bool Down, string Place)>();
        // Bridges.
        for (int i = 0; i < doc.Bridges.Count; i++)
        {
            var b = doc.Bridges[i];
            string place = $"bridges[{i}]";
            var cur = Find(b.Namespace, b.Name);
            if (cur == null)
                steps.Add(Step("Create", "Bridge", b.Namespace, b.Name, place, null,
                    () => _ctx.BridgeOperations.Create(b.Name, b.Namespace, b.Mtu, up: b.Down != true), () => _ctx.BridgeOperations.RemoveLink(b.Name, b.Namespace)));
            else if (cur.Kind != "bridge")
                steps.Add(Step("Differs", "Bridge", b.Namespace, b.Name, place, $"'{b.Name}' exists as a {cur.Kind}, not a bridge"));
            else steps.Add(Step("Keep", "Bridge", b.Namespace, b.Name, place));
            desiredMtu.Add((b.Namespace, b.Name, b.Mtu ?? 1500, place));
            desiredDown.Add((b.Namespace, b.Name, b.Down == true, place));
        }
        // Veth cables.
        for (int i = 0; i < doc.Veths.Count; i++)
        {
            var v = doc.Veths[i];
            string place = $"veths[{i}]";
            var a = Find(v.Namespace, v.Name);
            var p = Find(v.PeerNamespace, v.PeerName);
            string name = $"{v.Name}/{v.PeerName}";
            if (a == null && p == null)
                steps.Add(Step("Create", "Veth", v.Namespace, name, place, $"{v.Name} <-> {v.PeerName}{(v.PeerNamespace != null ? " in " + v.PeerNamespace : "")}",
                    () => _ctx.Veths.Create(new VethSpec { Name = v.Name, Namespace = v.Namespace, PeerName = v.PeerName, PeerNamespace = v.PeerNamespace, Mtu = v.Mtu }),
                    () => _ctx.Links.Remove(v.Name, v.Namespace)));
            else if (a != null && p != null && a.Kind == "veth" && p.Kind == "veth" && IsPeer(a, v.Namespace, p, v.PeerNamespace))
                steps.Add(Step("Keep", "Veth", v.Namespace, name, place));
            else
            {
                string why = a == null ? $"'{v.PeerName}' exists but '{v.Name}' does not"
                    : p == null ? $"'{v.Name}' exists but '{v.PeerName}' does not"
                    : $"'{v.Name}' and '{v.PeerName}' exist but are not the two ends of one veth cable";
                steps.Add(Step("Differs", "Veth", v.Namespace, name, place, why));
            }
            desiredMtu.Add((v.Namespace, v.Name, v.Mtu ?? 1500, place));
            desiredMtu.Add((v.PeerNamespace, v.PeerName, v.Mtu ?? 1500, place));
            desiredDown.Add((v.Namespace, v.Name, v.Down == true, place));
            desiredDown.Add((v.PeerNamespace, v.PeerName, v.PeerDown == true, place));
        }
        // VXLAN tunnels and their peers.
        for (int i = 0; i < doc.Vxlans.Count; i++)
        {
            var t = doc.Vxlans[i];
            string place = $"vxlans[{i}]";
            var cur = Find(t.Namespace, t.Name);
            if (t.Device != null && !IsNew(t.Namespace) && Find(t.Namespace, t.Device) == null && !Describes(doc, t.Namespace, t.Device))
                throw TopologyValidator.Bad(source, $"{place}.device", t.Device, $"there is no such device in {LinkService.NsText(t.Namespace)}");
            List<string> havePeers = new();
            if (cur == null)
                steps.Add(Step("Create", "Vxlan", t.Namespace, t.Name, place, $"vni {t.Vni}",
                    () => _ctx.Vxlans.Create(new VxlanSpec
                    {
                        Name = t.Name, Namespace = t.Namespace, Vni = t.Vni, Local = t.Local, Remote = t.Remote, Group = t.Group,
                        Device = t.Device, Port = t.Port ?? VxlanService.IanaPort, Learning = t.NoLearning != true, Mtu = t.Mtu,
                    }),
                    () => _ctx.Links.Remove(t.Name, t.Namespace)));
            else if (cur.Kind != "vxlan")
                steps.Add(Step("Differs", "Vxlan", t.Namespace, t.Name, place, $"'{t.Name}' exists as a {cur.Kind}, not a VXLAN tunnel"));
            else
            {
                var have = _ctx.Vxlans.Get(t.Name, t.Namespace);
                var diffs = new List<string>();
                if (have.Vni != t.Vni) diffs.Add($"vni is {have.Vni}, the file says {t.Vni}");
                if (!SameIp(have.Remote, t.Remote)) diffs.Add($"remote is {have.Remote ?? "none"}, the file says {t.Remote ?? "none"}");
                if (!SameIp(have.Group, t.Group)) diffs.Add($"group is {have.Group ?? "none"}, the file says {t.Group ?? "none"}");
                if (!SameIp(have.Local, t.Local)) diffs.Add($"local is {have.Local ?? "none"}, the file says {t.Local ?? "none"}");
                if (have.Port != (t.Port ?? VxlanService.IanaPort)) diffs.Add($"port is {have.Port}, the file says {t.Port ?? VxlanService.IanaPort}");
                if (t.Device != null && have.Device != t.Device) diffs.Add($"device is {have.Device ?? "none"}, the file says {t.Device}");
                steps.Add(diffs.Count > 0 ? Step("Differs", "Vxlan", t.Namespace, t.Name, place, string.Join("; ", diffs)) : Step("Keep", "Vxlan", t.Namespace, t.Name, place));
                if (have.Learning != (t.NoLearning != true))
                    steps.Add(Step("Change", "Vxlan", t.Namespace, t.Name, place, $"learning {(t.NoLearning == true ? "off" : "on")}",
                        () => _ctx.Vxlans.Set(t.Name, t.Namespace, learning: t.NoLearning != true)));
                havePeers = _ctx.Vxlans.ListPeers(t.Name, t.Namespace).Where(p => p.Flood).Select(p => p.Remote).ToList();
            }
            foreach (var peer in t.Peers ?? new())
            {
                if (havePeers.Any(h => SameIp(h, peer))) steps.Add(Step("Keep", "VxlanPeer", t.Namespace, $"{t.Name} -> {peer}", place));
                else steps.Add(Step("Create", "VxlanPeer", t.Namespace, $"{t.Name} -> {peer}", place, null,
                    () => _ctx.Vxlans.AddPeer(t.Name, peer, null, t.Namespace), () => _ctx.Vxlans.RemovePeer(t.Name, peer, null, t.Namespace)));
            }
            if (t.Mtu is int m) desiredMtu.Add((t.Namespace, t.Name, m, place));
            desiredDown.Add((t.Namespace, t.Name, t.Down == true, place));
        }
        // Bridge ports (after every link exists).
        for (int i = 0; i < doc.Bridges.Count; i++)
        {
            var b = doc.Bridges[i];
            for (int j = 0; j < (b.Ports?.Count ?? 0); j++)
            {
                string port = b.Ports![j], place = $"bridges[{i}].ports[{j}]";
                var cur = Find(b.Namespace, port);
                var br = Find(b.Namespace, b.Name);
                if (cur != null && br != null && cur.MasterIndex == br.Index) steps.Add(Step("Keep", "BridgePort", b.Namespace, $"{port} -> {b.Name}", place));
                else steps.Add(Step("Change", "BridgePort", b.Namespace, $"{port} -> {b.Name}", place, $"plug '{port}' into '{b.Name}'",
                    () => _ctx.Bridges.AddPort(b.Name, port, b.Namespace), () => _ctx.Bridges.RemovePort(b.Name, port, b.Namespace)));
            }
        }
        // MTU and up/down last: joining a bridge or a tunnel's creation may have changed them. Links made
        // by this import are checked when the step runs; existing ones are compared now.
        foreach (var (ns, name, mtu, place) in desiredMtu)
        {
            var cur = Find(ns, name);
            if (cur != null && cur.Mtu == mtu) continue;
            if (cur != null)
                steps.Add(Step("Change", "Mtu", ns, name, place, $"mtu {cur.Mtu} -> {mtu}", () => _ctx.Links.Set(name, new LinkChange { Mtu = mtu }, ns)));
            else if (place.StartsWith("bridges", StringComparison.Ordinal))
                // A new bridge without an MTU of its own takes its ports' lowest; set it when that is not the file's.
                steps.Add(new TopologyChange
                {
                    Action = "Change", Kind = "Mtu", Namespace = ns, Name = name, Place = place, Detail = $"mtu {mtu}",
                    Needed = () => _ctx.Links.TryGet(name, ns) is NetLink l && l.Mtu != mtu,
                    Do = () => _ctx.Links.Set(name, new LinkChange { Mtu = mtu }, ns),
                });
        }
        foreach (var (ns, name, down, place) in desiredDown)
        {
            var cur = Find(ns, name);
            if (cur != null && cur.AdminUp != down) continue;
            if (cur == null && !down) continue; // made up by this import
            steps.Add(Step("Change", "State", ns, name, place, down ? "down" : "up", () => _ctx.Links.SetUp(name, !down, ns)));
        }
        for (int i = 0; i < doc.Bridges.Count; i++)
        {
            var b = doc.Bridges[i];
            if (b.Isolated != true) continue;
            bool already = !IsNew(b.Namespace) && Find(b.Namespace, b.Name) != null && _ctx.Nat.IsolatedBridges(b.Namespace).Contains(b.Name);
            steps.Add(already ? Step("Keep", "Isolation", b.Namespace, b.Name, $"bridges[{i}]")
                : Step("Change", "Isolation", b.Namespace, b.Name, $"bridges[{i}]", "isolated", () => _ctx.Nat.SetIsolated(b.Name, true, b.Namespace)));
        }
        // Addresses.
        var addrCache = new Dictionary<string, List<Addresses.NetIPAddress>>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Addresses.Count; i++)
        {
            var a = doc.Addresses[i];
            string place = $"addresses[{i}]";
            var want = Validation.Cidr(a.Address, requirePrefix: true);
            bool have = false;
            if (!IsNew(a.Namespace) && Find(a.Namespace, a.Interface) != null)
            {
                if (!addrCache.TryGetValue(a.Namespace ?? "", out var list)) addrCache[a.Namespace ?? ""] = list = _ctx.Addresses.List(a.Namespace);
                have = list.Any(x => x.InterfaceName == a.Interface && x.PrefixLength == want.PrefixLength && IPAddress.Parse(x.IPAddress).Equals(want.Address));
            }
            steps.Add(have ? Step("Keep", "Address", a.Namespace, $"{a.Address} on {a.Interface}", place)
                : Step("Create", "Address", a.Namespace, $"{a.Address} on {a.Interface}", place, null,
                    () => _ctx.Addresses.Add(a.Interface, a.Address, a.Namespace), () => _ctx.Addresses.Remove(a.Interface, a.Address, a.Namespace)));
        }
        // Routes.
        var routeCache = new Dictionary<string, List<NetRoute>>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Routes.Count; i++)
        {
            var r = doc.Routes[i];
            string place = $"routes[{i}]";
            var spec = new RouteSpec { Destination = r.Destination, Gateway = r.Gateway, InterfaceName = r.Interface, Metric = r.Metric, Namespace = r.Namespace };
            bool have = false;
            if (!IsNew(r.Namespace))
            {
                if (!routeCache.TryGetValue(r.Namespace ?? "", out var list)) routeCache[r.Namespace ?? ""] = list = _ctx.Routes.List(r.Namespace);
                have = list.Any(x => RouteMatches(x, r));
            }
            string name = r.Gateway != null ? $"{r.Destination} via {r.Gateway}" : $"{r.Destination} dev {r.Interface}";
            steps.Add(have ? Step("Keep", "Route", r.Namespace, name, place)
                : Step("Create", "Route", r.Namespace, name, place, null, () => _ctx.Routes.Add(spec), () => _ctx.Routes.Remove(spec)));
        }
        // NAT rules and publishes.
        var natCache = new Dictionary<string, List<NatRule>>(StringComparer.Ordinal);
        for (int i = 0; i < doc.Nat.Count; i++)
        {
            var n = doc.Nat[i];
            string place = $"nat[{i}]";
            bool have = false;
            if (!IsNew(n.Namespace))
            {
                if (!natCache.TryGetValue(n.Namespace ?? "", out var list)) natCache[n.Namespace ?? ""] = list = _ctx.Nat.List(n.Namespace);
                have = list.Any(x => NatMatches(x, n));
            }
            string? id = null;
            steps.Add(have ? Step("Keep", "Nat", n.Namespace, NatName(n), place)
                : Step("Create", "Nat", n.Namespace, NatName(n), place, null,
                    () => id = _ctx.Nat.Add(new NatSpec
                    {
                        Kind = n.Kind, Source = n.Source, OutInterface = n.OutInterface, ToAddress = n.ToAddress, Protocol = n.Protocol ?? "tcp",
                        PublishPort = n.PublishPort, ToPort = n.ToPort, HostAddress = n.HostAddress, Namespace = n.Namespace,
                    }).Id,
                    () => { if (id != null) _ctx.Nat.Remove(id, n.Namespace); }));
        }
        return steps;
    }

    private List<TopologyChange> PlanRemove(TopologyDocument doc)
    {
        var steps = new List<TopologyChange>();
        for (int i = doc.Nat.Count - 1; i >= 0; i--)
        {
            var n = doc.Nat[i];
            if (IsNew(n.Namespace)) continue;
            foreach (var r in _ctx.Nat.List(n.Namespace).Where(x => NatMatches(x, n)))
                steps.Add(Step("Remove", "Nat", n.Namespace, NatName(n), $"nat[{i}]", r.Id, () => _ctx.Nat.Remove(r.Id, n.Namespace)));
        }
        for (int i = doc.Routes.Count - 1; i >= 0; i--)
        {
            var r = doc.Routes[i];
            if (IsNew(r.Namespace) || (r.Interface != null && Find(r.Namespace, r.Interface) == null)) continue;
            if (!_ctx.Routes.List(r.Namespace).Any(x => RouteMatches(x, r))) continue;
            var spec = new RouteSpec { Destination = r.Destination, Gateway = r.Gateway, InterfaceName = r.Interface, Metric = r.Metric, Namespace = r.Namespace };
            steps.Add(Step("Remove", "Route", r.Namespace, r.Gateway != null ? $"{r.Destination} via {r.Gateway}" : $"{r.Destination} dev {r.Interface}",
                $"routes[{i}]", null, () => _ctx.Routes.Remove(spec)));
        }
        for (int i = doc.Addresses.Count - 1; i >= 0; i--)
        {
            var a = doc.Addresses[i];
            if (IsNew(a.Namespace) || Find(a.Namespace, a.Interface) == null) continue;
            var want = Validation.Cidr(a.Address, requirePrefix: true);
            if (!_ctx.Addresses.List(a.Namespace, a.Interface).Any(x => x.PrefixLength == want.PrefixLength && IPAddress.Parse(x.IPAddress).Equals(want.Address))) continue;
            steps.Add(Step("Remove", "Address", a.Namespace, $"{a.Address} on {a.Interface}", $"addresses[{i}]", null,
                () => _ctx.Addresses.Remove(a.Interface, a.Address, a.Namespace)));
        }
        // Links: a tunnel takes its peers with it, one end of a veth takes the other.
        for (int i = doc.Vxlans.Count - 1; i >= 0; i--)
        {
            var t = doc.Vxlans[i];
            if (Find(t.Namespace, t.Name) is { Kind: "vxlan" })
                steps.Add(Step("Remove", "Vxlan", t.Namespace, t.Name, $"vxlans[{i}]", null, () => _ctx.Links.Remove(t.Name, t.Namespace)));
        }
        for (int i = doc.Veths.Count - 1; i >= 0; i--)
        {
            var v = doc.Veths[i];
            var a = Find(v.Namespace, v.Name);
            var p = Find(v.PeerNamespace, v.PeerName);
            // Only the cable the file describes: both ends as named, joined to each other.
            if (a is { Kind: "veth" } && p is { Kind: "veth" } && IsPeer(a, v.Namespace, p, v.PeerNamespace))
                steps.Add(Step("Remove", "Veth", v.Namespace, $"{v.Name}/{v.PeerName}", $"veths[{i}]", null, () => _ctx.Links.Remove(v.Name, v.Namespace)));
        }
        for (int i = doc.Bridges.Count - 1; i >= 0; i--)
        {
            var b = doc.Bridges[i];
            if (Find(b.Namespace, b.Name) is { Kind: "bridge" })
                steps.Add(Step("Remove", "Bridge", b.Namespace, b.Name, $"bridges[{i}]", null, () => _ctx.BridgeOperations.RemoveLink(b.Name, b.Namespace)));
        }
        for (int i = doc.Namespaces.Count - 1; i >= 0; i--)
        {
            var n = doc.Namespaces[i];
            if (!IsNew(n.Name))
                steps.Add(Step("Remove", "Namespace", null, n.Name, $"namespaces[{i}]", null, () => _ctx.Namespaces.Remove(n.Name, strict: false)));
        }
        return steps;
    }

    /// <summary>Whether the document makes a link of that name in that namespace.</summary>
    private static bool Describes(TopologyDocument doc, string? ns, string name) =>
        doc.Bridges.Any(b => b.Namespace == ns && b.Name == name) || doc.Vxlans.Any(t => t.Namespace == ns && t.Name == name) ||
        doc.Veths.Any(v => (v.Namespace == ns && v.Name == name) || (v.PeerNamespace == ns && v.PeerName == name));

    /// <summary>Whether two veth ends are joined: each one's peer index is the other's index (and, across namespaces, it is not in its own).</summary>
    private bool IsPeer(NetLink a, string? aNs, NetLink p, string? pNs)
    {
        if (a.LinkIndex != p.Index || p.LinkIndex != a.Index) return false;
        bool same = _ctx.Resolve(aNs).Inode == _ctx.Resolve(pNs).Inode;
        return same == (a.LinkNetnsId == null);
    }

    private static bool SameIp(string? a, string? b) =>
        a == null || b == null ? a == b : IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) && x.Equals(y);

    private static bool RouteMatches(NetRoute x, TopologyRoute r)
    {
        bool v6 = x.AddressFamily == "IPv6";
        string dest = string.Equals(r.Destination, "default", StringComparison.OrdinalIgnoreCase) ? "default" : Validation.Cidr(r.Destination).ToString();
        int metric = r.Metric ?? (v6 ? 1024 : 0);
        bool familyOk = dest != "default" || r.Gateway == null || (IPAddress.Parse(r.Gateway).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6;
        return familyOk && x.Destination == dest && x.Metric == metric && SameIp(x.Gateway, r.Gateway) && (r.Interface == null || x.InterfaceName == r.Interface);
    }

    private static bool NatMatches(NatRule x, TopologyNat n)
    {
        if (x.Kind != n.Kind) return false;
        if (n.Kind == "Publish")
            return string.Equals(x.Protocol, n.Protocol ?? "tcp", StringComparison.OrdinalIgnoreCase) && x.PublishPort == n.PublishPort &&
                   x.ToPort == (n.ToPort ?? n.PublishPort) && SameIp(x.ToAddress, n.ToAddress) && SameIp(x.HostAddress, n.HostAddress);
        return x.Source == Validation.Cidr(n.Source).ToString() && x.OutInterface == n.OutInterface && SameIp(x.ToAddress, n.ToAddress);
    }

    private static string NatName(TopologyNat n) => n.Kind == "Publish"
        ? $"{n.Protocol ?? "tcp"}/{n.PublishPort} -> {n.ToAddress}:{n.ToPort ?? n.PublishPort}"
        : $"{n.Kind.ToLowerInvariant()} {n.Source}{(n.OutInterface != null ? " via " + n.OutInterface : "")}{(n.ToAddress != null ? " to " + n.ToAddress : "")}";
}
