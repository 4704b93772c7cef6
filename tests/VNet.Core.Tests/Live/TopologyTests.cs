using VNet.Core.Filter;
using VNet.Core.Links;
using VNet.Core.Routes;
using VNet.Core.Topology;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// Export-NetTopology / Import-NetTopology in the core: a topology built by hand, exported, torn down
/// by its own document and rebuilt from it, reads back byte for byte the same. Everything lives in this
/// test's own namespaces (tests running beside it add links to the sandbox's namespace).
/// </summary>
public class TopologyTests : LiveTest
{
    /// <summary>A "host" namespace with a bridge, two containers, a VXLAN tunnel over a veth underlay, NAT and a publish.</summary>
    private (string H, string C1, string C2) Build()
    {
        string h = Ns("h"), c1 = Ns("c1"), c2 = Ns("c2");
        Ctx.Bridges.Create("br0", h);
        Ctx.Addresses.Add("br0", "198.51.100.1/24", h);
        foreach (var (c, ip) in new[] { (c1, "198.51.100.11"), (c2, "198.51.100.12") })
        {
            Ctx.Veths.Create(new VethSpec { Name = "veth-" + c[^2..], Namespace = h, PeerName = "eth0", PeerNamespace = c });
            Ctx.Bridges.AddPort("br0", "veth-" + c[^2..], h);
            Ctx.Addresses.Add("eth0", ip + "/24", c);
            Ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "198.51.100.1", Namespace = c });
        }
        Ctx.Addresses.Add("eth0", "2001:db8:1::12/64", c2);
        Ctx.Veths.Create(new VethSpec { Name = "uplink", Namespace = h, PeerName = "uplink-peer", PeerNamespace = h });
        Ctx.Addresses.Add("uplink", "203.0.113.1/24", h);
        Ctx.Vxlans.Create(new VxlanSpec { Name = "vxlan0", Namespace = h, Vni = 77, Remote = "203.0.113.2", Device = "uplink", Bridge = "br0" });
        Ctx.Vxlans.AddPeer("vxlan0", "203.0.113.3", null, h);
        Ctx.Routes.Add(new RouteSpec { Destination = "192.0.2.0/24", Gateway = "203.0.113.2", Namespace = h });
        Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "198.51.100.0/24", Namespace = h });
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "10080", ToAddress = "198.51.100.11", ToPort = "80", Namespace = h });
        Ctx.Nat.SetIsolated("br0", true, h);
        return (h, c1, c2);
    }

    [SkippableFact]
    public void ExportDescribesTheWiringOnce()
    {
        var (h, c1, c2) = Build();
        var doc = new TopologyExporter(Ctx).Export(new string?[] { h, c1, c2 });
        Assert.Equal(new[] { c1, c2, h }.Order(StringComparer.Ordinal), doc.Namespaces.Select(n => n.Name));
        var br = Assert.Single(doc.Bridges);
        Assert.Equal(new[] { "veth-c1", "veth-c2", "vxlan0" }, br.Ports);
        Assert.True(br.Isolated);
        Assert.Equal(1450, br.Mtu); // the tunnel lowered it
        // Each cable once, both ends named, whichever namespace listed it.
        Assert.Equal(3, doc.Veths.Count);
        Assert.Contains(doc.Veths, v => v.Name == "eth0" && v.Namespace == c1 && v.PeerName == "veth-c1" && v.PeerNamespace == h);
        Assert.Contains(doc.Veths, v => v.Name == "uplink" && v.PeerName == "uplink-peer" && v.PeerNamespace == h);
        var t = Assert.Single(doc.Vxlans);
        Assert.Equal(("vxlan0", 77, "203.0.113.2", "uplink"), (t.Name, t.Vni, t.Remote, t.Device));
        Assert.Equal(new[] { "203.0.113.3" }, t.Peers);
        // No kernel-made addresses (link-local, loopback) or routes (connected subnets).
        Assert.DoesNotContain(doc.Addresses, a => a.Address.StartsWith("fe80", StringComparison.Ordinal) || a.Address.StartsWith("127.", StringComparison.Ordinal));
        Assert.Contains(doc.Addresses, a => a.Namespace == c2 && a.Address == "2001:db8:1::12/64");
        Assert.DoesNotContain(doc.Routes, r => r.Destination == "198.51.100.0/24");
        Assert.Contains(doc.Routes, r => r.Namespace == h && r.Destination == "192.0.2.0/24" && r.Gateway == "203.0.113.2");
        Assert.Contains(doc.Nat, n => n.Kind == "Publish" && n.PublishPort == "10080" && n.ToPort == "80");
        Assert.Contains(doc.Nat, n => n.Kind == "Masquerade" && n.Source == "198.51.100.0/24");
    }

    [SkippableFact]
    public void ExportTearDownImportExportGivesTheSameDocument()
    {
        var (h, c1, c2) = Build();
        var names = new string?[] { h, c1, c2 };
        string first = TopologySerializer.ToYaml(new TopologyExporter(Ctx).Export(names));
        string json = TopologySerializer.ToJson(new TopologyExporter(Ctx).Export(names));

        // -Remove: everything the file describes goes, namespaces included.
        var importer = new TopologyImporter(Ctx);
        var removed = importer.Apply(importer.Plan(TopologySerializer.Parse(first, "t.yaml"), "t.yaml", remove: true), _ => true);
        Assert.Contains(removed, s => s.Kind == "Namespace" && s.Name == h);
        foreach (var n in new[] { h, c1, c2 }) Assert.False(File.Exists($"/run/netns/{n}"), $"{n} was removed");

        // Import from nothing, then export again: the same text.
        var created = new TopologyImporter(Ctx).Apply(new TopologyImporter(Ctx).Plan(TopologySerializer.Parse(first, "t.yaml"), "t.yaml"), _ => true);
        Assert.DoesNotContain(created, s => s.Action == "Differs");
        // The same context that saw these namespaces removed and made again under the same names.
        string second = TopologySerializer.ToYaml(new TopologyExporter(Ctx).Export(names));
        Assert.True(first == second, "first:\n" + first + "\nsecond:\n" + second);
        Assert.True(Ping(c1, "198.51.100.12"), "the rebuilt containers reach each other over the bridge");

        // A second import (of the JSON form of the same wiring) changes nothing.
        var again = new TopologyImporter(Ctx);
        var plan = again.Plan(TopologySerializer.Parse(json, "t.json"), "t.json");
        Assert.All(plan, s => Assert.Equal("Keep", s.Action));
        Assert.Empty(again.Apply(plan, _ => true));
    }

    [SkippableFact]
    public void RemoveLeavesWhatTheFileDoesNotDescribe()
    {
        var (h, c1, _) = Build();
        // Something made beside the described wiring, in a described namespace.
        Ctx.Bridges.Create("other0", h);
        Ctx.Addresses.Add("eth0", "198.51.100.99/24", c1);
        var doc = new TopologyDocument
        {
            Bridges = { new TopologyBridge { Name = "br0", Namespace = h } },
            Addresses = { new TopologyAddress { Namespace = c1, Interface = "eth0", Address = "198.51.100.11/24" } },
            Veths = { new TopologyVeth { Name = "eth0", Namespace = c1, PeerName = "veth-c1", PeerNamespace = h } },
        };
        var importer = new TopologyImporter(Ctx);
        var done = importer.Apply(importer.Plan(doc, "doc", remove: true), _ => true);
        Assert.Equal(new[] { "Address", "Veth", "Bridge" }, done.Select(s => s.Kind));
        Assert.Null(Ctx.Links.TryGet("br0", h));
        Assert.Null(Ctx.Links.TryGet("eth0", c1));
        Assert.NotNull(Ctx.Links.TryGet("other0", h));
        Assert.NotNull(Ctx.Links.TryGet("veth-c2", h));
        Assert.True(File.Exists($"/run/netns/{c1}"));
        // Run again: nothing left to do.
        var second = new TopologyImporter(Ctx);
        Assert.Empty(second.Apply(second.Plan(doc, "doc", remove: true), _ => true));
    }

    [SkippableFact]
    public void AFailedImportUndoesWhatItMade()
    {
        string h = Ns("h");
        string ghost = $"{P}-new";
        var doc = new TopologyDocument
        {
            Namespaces = { new TopologyNamespace { Name = ghost } },
            Bridges = { new TopologyBridge { Name = "br0", Namespace = ghost } },
            Veths = { new TopologyVeth { Name = "a0", Namespace = h, PeerName = "b0", PeerNamespace = ghost } },
            Addresses = { new TopologyAddress { Namespace = h, Interface = "a0", Address = "192.0.2.1/24" } },
        };
        var importer = new TopologyImporter(Ctx);
        var plan = importer.Plan(doc, "doc");
        // Make the veth step fail: its name is taken by then by something that is not a veth end.
        var failing = plan.First(s => s.Kind == "Veth");
        Ctx.Bridges.Create("a0", h);
        var e = Assert.ThrowsAny<VNetException>(() => importer.Apply(plan, _ => true));
        Assert.Equal("LinkExists", e.ErrorId);
        Assert.False(File.Exists($"/run/netns/{ghost}"), "the namespace the import made is gone again");
        Assert.Equal("Create", failing.Action);
    }
}
