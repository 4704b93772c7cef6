using VNet.Core.Filter;
using VNet.Core.Native;
using VNet.Core.Netlink;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// Publishes written as nfnetlink element batches (NftElementBatch): all or nothing in the
/// kernel, many at once, and ranges larger than the socket's default send buffer.
/// </summary>
public class NatBatchTests : LiveTest
{
    private string Ruleset(string ns) => RunIn(ns, "nft", "list", "ruleset").Out;

    /// <summary>A namespace with two bridges: 198.51.100.0/24 on br0, 203.0.113.0/24 on br1 (the hairpin sets' subnets).</summary>
    private string Host(string suffix)
    {
        string h = Ns(suffix);
        foreach (var (br, net) in new[] { ("br0", "198.51.100.1/24"), ("br1", "203.0.113.1/24"), ("br2", "192.0.2.1/24") })
        {
            Ctx.BridgeOperations.Create(br, h);
            Ctx.Addresses.Add(br, net, h);
        }
        Ctx.Addresses.Add("br0", "2001:db8:1::1/64", h);
        return h;
    }

    [SkippableFact]
    public void ABatchRefusedOnItsSecondMessageLeavesNothing()
    {
        string h = Host("f");
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8080", ToAddress = "198.51.100.10", Namespace = h });
        // An element VNet does not know about, put in its map by nft directly: VNet's own check
        // cannot see it as a publish (no comment), the kernel refuses the key (EEXIST).
        var (code, o) = RunIn(h, "nft", "add", "element", "inet", "vnet", "pub_tcp", "{ 5090 : 198.51.100.99 }");
        Assert.True(code == 0, o);
        string before = Ruleset(h);
        // 300 publishes to the other bridge (the hairpin set widens first, then goes back): 5090
        // is element 290, in the batch's second message of the address map.
        var specs = Enumerable.Range(0, 300).Select(i => new NatSpec
            { Kind = "Publish", PublishPort = $"{4800 + i}", ToAddress = $"203.0.113.{i % 250 + 2}", Namespace = h }).ToList();
        var e = Assert.Throws<VNetException>(() => Ctx.Nat.AddMany(specs));
        Assert.Equal("PublishExists", e.ErrorId);
        Assert.Contains("5090", e.Message);
        Assert.Equal(before, Ruleset(h));
        Assert.Equal(new[] { "publish-tcp-8080" }, Ctx.Nat.List(h).Select(r => r.Id));
        // Mixed with a masquerade rule: the rule added through libnftables goes again too.
        specs.Add(new NatSpec { Kind = "Masquerade", Source = "203.0.113.0/24", Namespace = h });
        Assert.Equal("PublishExists", Assert.Throws<VNetException>(() => Ctx.Nat.AddMany(specs)).ErrorId);
        Assert.Equal(before, Ruleset(h));
    }

    [SkippableFact]
    public void AThousandDistinctPublishesInOneCall()
    {
        string h = Host("k");
        // 750 IPv4 targets on three bridges, 250 IPv6 ones: one port each.
        string Target(int i) => i < 750 ? $"{new[] { "198.51.100", "203.0.113", "192.0.2" }[i / 250]}.{i % 250 + 2}" : $"2001:db8:1::{i:x}";
        var specs = Enumerable.Range(0, 1000).Select(i => new NatSpec
            { Kind = "Publish", PublishPort = $"{20000 + i}", ToAddress = Target(i), ToPort = "80", Namespace = h }).ToList();
        Ctx.Nat.AddMany(specs);
        var listed = Ctx.Nat.List(h);
        Assert.Equal(1000, listed.Count);
        var byPort = listed.ToDictionary(r => int.Parse(r.PublishPort!), r => r);
        for (int i = 0; i < 1000; i++)
        {
            var r = byPort[20000 + i];
            Assert.Equal((Target(i), "80", i < 750 ? "IPv4" : "IPv6"), (r.ToAddress, r.ToPort, r.AddressFamily));
            Assert.Equal(NatIds.PublishId("tcp", null, 20000 + i, 20000 + i, i >= 750), r.Id);
        }
        // What nft sees: every element, with its counter (the map's, cloned by the kernel).
        string rs = Ruleset(h);
        Assert.Contains("20999 counter packets 0 bytes 0 comment \"vnet:publish6-tcp-20999\" : 2001:db8:1::3e7", rs);
        Assert.Contains("20000 counter packets 0 bytes 0 comment \"vnet:publish-tcp-20000\" : 198.51.100.2", rs);
        // The hairpin set has each bridge's subnet once.
        Assert.Contains("\"br0\" . 198.51.100.0/24", rs);
        Assert.Contains("\"br2\" . 192.0.2.0/24", rs);
        Assert.True(Ctx.Nat.Remove("publish-tcp-20005", h));
        listed = Ctx.Nat.List(h);
        Assert.Equal(999, listed.Count);
        Assert.DoesNotContain(listed, r => r.PublishPort == "20005");
        Assert.DoesNotContain("vnet:publish-tcp-20005", Ruleset(h));
    }

    [SkippableFact]
    public void ARangeOfTenThousandPortsIsOneBatch()
    {
        string h = Host("r");
        // About 1 MB of messages: more than a socket's send buffer holds without SO_SNDBUFFORCE.
        var r = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "20000-29999", ToAddress = "198.51.100.10", ToPort = "20000-29999", Namespace = h });
        var listed = Assert.Single(Ctx.Nat.List(h));
        Assert.Equal((r.Id, "20000-29999", "20000-29999", "198.51.100.10"), (listed.Id, listed.PublishPort, listed.ToPort, listed.ToAddress));
        var (code, o) = RunIn(h, "nft", "get", "element", "inet", "vnet", "pub_tcp_port", "{ 25000 }");
        Assert.True(code == 0, o);
        Assert.Contains("25000 : 25000", o);
        Assert.True(Ctx.Nat.Remove(r.Id, h));
        Assert.Empty(Ctx.Nat.List(h));
        Assert.DoesNotContain("vnet", Ruleset(h));
    }

    [SkippableTheory]
    [InlineData("pub_tcp", "8005")] // the middle of the range: the one-batch removal is refused (ENOENT) as a whole
    [InlineData("pub_tcp", "8000")] // an end: the range's ends no longer both carry the id
    [InlineData("pub_tcp_port", "8009")] // the port element only: the ends still carry the id, the batch is refused
    public void ARangeWithElementsDeletedOutsideVNetIsRemovedWhole(string map, string deleted)
    {
        string h = Host("g" + map.Length + deleted[^1]);
        var r = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8000-8009", ToAddress = "198.51.100.10", Namespace = h });
        var keep = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "9000", ToAddress = "198.51.100.11", Namespace = h });
        var (code, o) = RunIn(h, "nft", "delete", "element", "inet", "vnet", map, "{ " + deleted + " }");
        Assert.True(code == 0, o);
        var d = new Diagnostics();
        Assert.True(Ctx.Nat.Remove(r.Id, h, diagnostics: d));
        string warning = Assert.Single(d.Warnings);
        Assert.Contains(r.Id, warning);
        Assert.Contains("1 of its 10 ports", warning);
        // Nothing of it is left in either map, and the other rule is untouched.
        string rules = Ruleset(h);
        foreach (var port in new[] { "8000", "8005", "8009" }) Assert.DoesNotContain(port, rules);
        Assert.Equal(keep.Id, Assert.Single(Ctx.Nat.List(h)).Id);
        // Gone now: quiet, or NatRuleNotFound with strict.
        Assert.False(Ctx.Nat.Remove(r.Id, h));
        Assert.Equal("NatRuleNotFound", Assert.Throws<VNetException>(() => Ctx.Nat.Remove(r.Id, h, strict: true)).ErrorId);
    }

    /// <summary>
    /// A kernel socket with the test's hand on it: <paramref name="onSend"/> sees each request before
    /// the kernel does (and may throw, as the kernel would refuse it), and with <paramref name="mayGrow"/>
    /// false its send buffer stays as it is: what a process without CAP_NET_ADMIN in the initial
    /// user namespace gets (SO_SNDBUFFORCE refused, SO_SNDBUF held at net.core.wmem_max), as in a
    /// user-namespace container that may change its own nftables.
    /// </summary>
    private sealed class HandOnSend(INetlinkConnection inner, Action<byte[]> onSend, bool mayGrow = true) : INetlinkConnection
    {
        public uint PortId => inner.PortId;
        public void Send(ReadOnlySpan<byte> request)
        {
            onSend(request.ToArray());
            inner.Send(request);
        }
        public void ReserveSend(int bytes) { if (mayGrow) inner.ReserveSend(bytes); }
        public ReadOnlyMemory<byte> Receive() => inner.Receive();
        public bool WaitReadable(int timeoutMs) => inner.WaitReadable(timeoutMs);
        public void Dispose() => inner.Dispose();
    }

    [SkippableFact]
    public void ABatchLargerThanTheSocketMaySendIsRefusedNamingTheRangeAndChangesNothing()
    {
        string h = Host("c");
        using var capped = new NetContext
        {
            KernelConnections = c => new HandOnSend(c, r => { if (r.Length > 256 * 1024) throw new SystemCallException("send", Sys.EMSGSIZE); }, mayGrow: false),
        };
        var big = new NatSpec { Kind = "Publish", PublishPort = "10000-29999", ToAddress = "198.51.100.10", ToPort = "10000-29999", Namespace = h };
        // Into a namespace without VNet's table: the table made for it goes again.
        var e = Assert.Throws<VNetException>(() => capped.Nat.Add(big));
        Assert.Equal("NatBatchTooLarge", e.ErrorId);
        Assert.Equal("10000-29999", e.Target);
        Assert.Contains("20000 ports", e.Message);
        Assert.DoesNotContain("vnet", Ruleset(h));
        // Beside a rule already there: the ruleset is as it was, and what fits still goes through.
        var small = capped.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8080", ToAddress = "198.51.100.11", Namespace = h });
        string before = Ruleset(h);
        Assert.Equal("NatBatchTooLarge", Assert.Throws<VNetException>(() => capped.Nat.Add(big)).ErrorId);
        Assert.Equal(before, Ruleset(h));
        Assert.Equal(small.Id, Assert.Single(Ctx.Nat.List(h)).Id);
    }

    [SkippableFact]
    public void AListReadAcrossAnotherProcessesRemovalShowsTheRuleWholeOrNotAtAll()
    {
        string h = Host("l");
        var gone = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8080", ToAddress = "198.51.100.10", ToPort = "80", Namespace = h });
        var kept = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "9090", ToAddress = "198.51.100.11", ToPort = "90", Namespace = h });
        // Between the read of the address map and that of the port map, someone else removes a
        // rule: read once, it would show 8080 with its port element gone (to port 8080, not 80).
        static bool PortMapDump(byte[] r) =>
            BitConverter.ToUInt16(r, 4) == (10 << 8 | 13) && r.AsSpan().IndexOf("pub_tcp_port\0"u8) >= 0;
        int hooks = 0;
        using var reader = new NetContext
        {
            KernelConnections = c => new HandOnSend(c, r =>
            {
                if (hooks == 0 && PortMapDump(r)) { hooks++; Assert.True(Ctx.Nat.Remove(gone.Id, h)); }
            }),
        };
        var listed = reader.Nat.List(h);
        Assert.Equal(1, hooks);
        var rule = Assert.Single(listed);
        Assert.Equal((kept.Id, "9090", "90"), (rule.Id, rule.PublishPort, rule.ToPort));
    }

    [SkippableFact]
    public void HairpinSetsFollowWhatTheKernelHas()
    {
        string h = Ns("p");
        Ctx.BridgeOperations.Create("br0", h);
        // Published before the bridge has its subnet: no pair yet for 198.51.100.10.
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8080", ToAddress = "198.51.100.10", Namespace = h });
        Assert.DoesNotContain("198.51.100.0/24", Ruleset(h));
        Ctx.Addresses.Add("br0", "198.51.100.1/24", h);
        // The next publish to the same subnet finds the kernel's set short of the pair and rebuilds it.
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8081", ToAddress = "198.51.100.11", Namespace = h });
        Assert.Contains("\"br0\" . 198.51.100.0/24", Ruleset(h));
        // A stale pair (left by a process killed between the two steps of an add) goes with the next change.
        var (code, o) = RunIn(h, "nft", "add", "element", "inet", "vnet", "hairpin", "{ \"br9\" . 203.0.113.0/24 }");
        Assert.True(code == 0, o);
        Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8082", ToAddress = "198.51.100.12", Namespace = h });
        Assert.DoesNotContain("br9", Ruleset(h));
        Assert.Contains("\"br0\" . 198.51.100.0/24", Ruleset(h));
    }

    [SkippableFact]
    public void AnIPv4MappedAddressIsTakenAsIPv4AndTheRuleCanBeRemoved()
    {
        string h = Host("m");
        // A target written ::ffff:198.51.100.20 is an IPv4 publish, listed and removed as one.
        var rule = Ctx.Nat.Add(new NatSpec { Kind = "Publish", PublishPort = "8081", ToAddress = "::ffff:198.51.100.20", Namespace = h });
        Assert.Equal("IPv4", rule.AddressFamily);
        Assert.Equal("198.51.100.20", Assert.Single(Ctx.Nat.List(h)).ToAddress);
        Assert.True(Ctx.Nat.Remove(rule.Id, h));
        Assert.Empty(Ctx.Nat.List(h));
        // As the host address of an IPv6 target it is the wrong family, named, and nothing is made.
        var e = Assert.Throws<VNetException>(() => Ctx.Nat.Add(new NatSpec
            { Kind = "Publish", PublishPort = "8082", ToAddress = "2001:db8:1::20", HostAddress = "::ffff:192.0.2.1", Namespace = h }));
        Assert.Equal("NatFamilyMismatch", e.ErrorId);
        Assert.Contains("::ffff:192.0.2.1", e.Message);
        Assert.Empty(Ctx.Nat.List(h));
    }
}
