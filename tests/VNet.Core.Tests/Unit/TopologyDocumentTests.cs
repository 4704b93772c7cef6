using VNet.Core.Topology;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>Topology documents without the kernel: reading, writing, checking, drawing.</summary>
public class TopologyDocumentTests
{
    private const string Sample = """
        version: 1
        namespaces:
        - name: c1
        bridges:
        - name: br0
          ports:
          - veth-c1
        veths:
        - name: veth-c1
          peerName: eth0
          peerNamespace: c1
        vxlans:
        - name: vxlan0
          vni: 77
          remote: 203.0.113.2
          peers:
          - 203.0.113.3
        addresses:
        - interface: br0
          address: 198.51.100.1/24
        - namespace: c1
          interface: eth0
          address: 198.51.100.11/24
        routes:
        - namespace: c1
          destination: default
          gateway: 198.51.100.1
          interface: eth0
        """;

    private static VNetException Invalid(string yaml)
    {
        using var ctx = new NetContext();
        return Assert.ThrowsAny<VNetException>(() => new TopologyImporter(ctx).Plan(TopologySerializer.Parse(yaml, "lab.yaml"), "lab.yaml"));
    }

    [Fact]
    public void YamlAndJsonReadBackToTheSameText()
    {
        var doc = TopologySerializer.Parse(Sample, "s.yaml");
        string yaml = TopologySerializer.ToYaml(doc);
        Assert.Equal(yaml, TopologySerializer.ToYaml(TopologySerializer.Parse(yaml, "s.yaml")));
        string json = TopologySerializer.ToJson(doc);
        Assert.Equal(yaml, TopologySerializer.ToYaml(TopologySerializer.Parse(json, "s.json")));
        Assert.DoesNotContain("mtu", yaml); // defaults are left out
    }

    [Fact]
    public void AnUnknownKeyIsAnErrorWithItsLine()
    {
        var e = Assert.ThrowsAny<VNetException>(() => TopologySerializer.Parse("version: 1\nbridges:\n- name: br0\n  colour: red\n", "lab.yaml"));
        Assert.Equal("TopologyInvalid", e.ErrorId);
        Assert.Contains("lab.yaml", e.Message);
        Assert.Contains("line 4", e.Message);
    }

    [Fact]
    public void ABadValueIsNamedWithItsPlace()
    {
        var e = Invalid(Sample.Replace("name: br0", "name: a-bridge-name-too-long"));
        Assert.Equal("TopologyValueInvalid", e.ErrorId);
        Assert.Equal("a-bridge-name-too-long", e.Target);
        Assert.Contains("bridges[0].name", e.Message);

        e = Invalid(Sample.Replace("address: 198.51.100.11/24", "address: 198.51.100.300/24"));
        Assert.Contains("addresses[1].address", e.Message);
        Assert.Equal("198.51.100.300/24", e.Target);

        e = Invalid(Sample.Replace("vni: 77", "vni: 16777216"));
        Assert.Contains("vxlans[0].vni", e.Message);

        e = Invalid(Sample.Replace("  interface: eth0\n  address: 198.51.100.11/24", "  interface: eth9\n  address: 198.51.100.11/24"));
        Assert.Contains("addresses[1].interface", e.Message);
        Assert.Contains("eth9", e.Message);

        e = Invalid(Sample.Replace("version: 1", "version: 7"));
        Assert.Contains("version", e.Message);
    }

    [Fact]
    public void APictureShowsNamespacesCablesAndTunnels()
    {
        var doc = TopologySerializer.Parse(Sample, "s.yaml");
        string dot = TopologyPicture.ToDot(doc);
        Assert.StartsWith("graph vnet {", dot);
        Assert.Contains("subgraph cluster_1", dot);
        Assert.Contains("label=\"c1\\ndefault via 198.51.100.1 dev eth0\"", dot);
        Assert.Contains("\"eth0\\n198.51.100.11/24\"", dot);
        Assert.Contains("203.0.113.3\\nremote VTEP", dot);
        string mermaid = TopologyPicture.ToMermaid(doc);
        Assert.StartsWith("flowchart LR", mermaid);
        Assert.Contains("===|veth|", mermaid);
        Assert.Contains("-.-|VNI 77|", mermaid);
    }
}
