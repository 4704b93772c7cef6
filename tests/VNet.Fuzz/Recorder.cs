using System.Buffers.Binary;
using System.Diagnostics;
using VNet.Core;
using VNet.Core.Filter;
using VNet.Core.Native;
using VNet.Core.Netlink;
using VNet.Core.Routes;
using VNet.Core.Tests.Replay;

namespace VNet.Fuzz;

/// <summary>
/// Records real kernel conversations for the unit tests (tests/VNet.Core.Tests/Recordings) and
/// cuts the seed corpus for the fuzz targets from them (tests/fuzz-corpus). Runs only inside
/// tests/sandbox.sh, where it builds a small topology with iproute2, nft and conntrack (the
/// tools VNet is compared with) and then asks VNet's own services about it over a recording
/// connection. `./build.sh fuzz --record` runs it.
/// </summary>
internal static class Recorder
{
    private const string Header = "Recorded by tests/VNet.Fuzz (record) inside tests/sandbox.sh";

    // The topology: a bridge with a veth port and a VXLAN port (one flood peer, one static MAC),
    // IPv4 and IPv6 addresses, routes via gateways, a few conntrack entries, a NAT table.
    private static readonly string[] Setup =
    {
        "ip link set lo up",
        "ip link add br0 address 02:00:00:00:00:b0 type bridge",
        "ip link add v1 address 02:00:00:00:00:01 type veth peer name v1p address 02:00:00:00:00:02",
        "ip link set v1 master br0",
        "ip link add d0 address 02:00:00:00:00:d0 type veth peer name d0p",
        "ip addr add 192.0.2.1/24 dev d0",
        "ip link add vx0 address 02:00:00:00:00:77 type vxlan id 77 dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev d0",
        "ip link set vx0 master br0",
        "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.3",
        "bridge fdb add 02:00:00:00:00:aa dev vx0 dst 192.0.2.3 self permanent",
        "bridge fdb add 02:00:00:00:00:bb dev v1 master static",
        "ip link set d0 up", "ip link set d0p up", "ip link set br0 up", "ip link set v1 up", "ip link set v1p up", "ip link set vx0 up",
        "ip addr add 198.51.100.1/24 dev br0",
        "ip addr add 2001:db8:1::1/64 dev br0 nodad",
        "ip route add 203.0.113.0/24 via 198.51.100.254 metric 10",
        "ip -6 route add 2001:db8:2::/64 via 2001:db8:1::fe",
        "ip route add blackhole 198.18.0.0/15",
        "conntrack -I -p tcp -s 198.51.100.2 -d 203.0.113.5 --sport 40000 --dport 80 --state ESTABLISHED -t 120 -u SEEN_REPLY,ASSURED",
        "conntrack -I -p udp -s 198.51.100.3 -d 203.0.113.53 --sport 40001 --dport 53 -t 30",
        "conntrack -I -p tcp -s 198.51.100.4 -d 192.0.2.1 --sport 40002 --dport 10080 --state SYN_SENT -t 60 --dst-nat 198.51.100.10:80",
        "conntrack -I -p icmp -s 198.51.100.5 -d 203.0.113.9 --icmp-type 8 --icmp-code 0 --icmp-id 7 -t 30",
    };

    private const string NatRules = """
        table ip vnet {
          map publish-tcp {
            type ipv4_addr . inet_service : ipv4_addr . inet_service
            comment "published ports"
            elements = { 192.0.2.1 . 10080 comment "publish-tcp-10080" : 198.51.100.10 . 80 }
          }
          chain prerouting {
            type nat hook prerouting priority dstnat; policy accept;
            dnat ip addr . port to ip daddr . tcp dport map @publish-tcp
          }
          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            ip saddr 198.51.100.0/24 oifname != "br0" counter masquerade comment "masq-1"
          }
        }
        table inet filter {
          chain input {
            type filter hook input priority 0; policy accept;
            ct state established,related accept
            iifname "lo" accept
          }
          chain forward {
            type filter hook forward priority 0; policy drop;
            jump vnet_fwd
          }
          chain vnet_fwd {
            iifname "br0" oifname "br0" counter packets 0 bytes 0 accept
          }
        }
        table ip trace {
          chain out {
            type filter hook output priority -350; policy accept;
            ip daddr 198.51.100.1 meta nftrace set 1
          }
        }
        """;

    public static int Run(string recordings, string corpus)
    {
        if (Environment.GetEnvironmentVariable("VNET_IN_SANDBOX") != "1")
        {
            Console.Error.WriteLine("record: run inside tests/sandbox.sh (it changes the network of the namespace it runs in)");
            return 2;
        }
        Directory.CreateDirectory(recordings);
        foreach (var line in Setup) Sh(line);
        Sh("nft -f -", NatRules);

        var recs = new Dictionary<string, NetlinkRecording>();
        void Scenario(string name, string what, Action<NetContext> act)
        {
            var conns = new List<(int Protocol, RecordingConnection Conn)>();
            using (var ctx = new NetContext
            {
                Connections = protocol =>
                {
                    var c = new RecordingConnection(new KernelConnection(protocol, 0));
                    conns.Add((protocol, c));
                    return c;
                },
            })
            {
                act(ctx);
            }
            foreach (var (protocol, c) in conns)
            {
                string file = NetlinkRecording.FileName(name, protocol);
                c.Recording.Save(Path.Combine(recordings, file), $"{Header}\n{what}");
                recs[file] = c.Recording;
                Console.WriteLine($"recorded {file}: {c.Recording.Entries.Count} datagrams");
            }
        }

        // Dumps: what the Get- cmdlets read.
        Scenario("links", "LinkService.List() of the topology in Recorder.cs", ctx => ctx.Links.List());
        Scenario("addresses", "AddressService.List()", ctx => ctx.Addresses.List());
        Scenario("routes", "RouteService.List(allTables: true)", ctx => ctx.Routes.List(allTables: true));
        Scenario("fdb", "FdbService.List()", ctx => ctx.Fdb.List());
        Scenario("vxlan-peers", "VxlanService.ListPeers(\"vx0\")", ctx => ctx.Vxlans.ListPeers("vx0"));
        Scenario("conntrack", "ConntrackService.List()", ctx => ctx.Conntrack.List());
        // Requests: what the changing cmdlets send, and the kernel's ACK (or refusal).
        Scenario("add-address", "AddressService.Add(\"v1p\", \"203.0.113.7/24\")", ctx => ctx.Addresses.Add("v1p", "203.0.113.7/24"));
        Scenario("add-route", "RouteService.Add(203.0.113.128/25 via 198.51.100.253 metric 5)",
            ctx => ctx.Routes.Add(new RouteSpec { Destination = "203.0.113.128/25", Gateway = "198.51.100.253", Metric = 5 }));
        Scenario("set-mtu", "LinkService.Set(\"v1p\", Mtu = 1400)", ctx => ctx.Links.Set("v1p", new VNet.Core.Links.LinkChange { Mtu = 1400 }));
        Scenario("add-address-twice", "AddressService.Add(\"v1p\", \"203.0.113.7/24\") again: the kernel refuses (EEXIST)", ctx =>
        {
            try { ctx.Addresses.Add("v1p", "203.0.113.7/24"); } catch (VNetException) { }
        });

        // Publish elements over nfnetlink (NatService's element batches and dumps) in VNet's own
        // table, its skeleton made first through libnftables outside the recording.
        using (var ctx = new NetContext())
            Nftables.RunJson(ctx, null, new NatRuleset().Skeleton().ToJson(), doing: "make VNet's table");
        Scenario("nat-elements", "NftElementBatch: publish-tcp-8080 (8080 to 198.51.100.10:80) and publish-tcp-198.51.100.1-9000-9001 (to 198.51.100.11) added in one batch;\n" +
            "then a batch whose second message repeats 8080 (EEXIST, nothing of it stays); then NatService.List(); then a batch deleting 8080 from both maps",
            ctx => NatElementsScenario(ctx));

        // Trace events: what Trace-NetPacket reads from the NFNLGRP_NFTRACE group.
        var trace = new RecordingConnection(new KernelConnection(Sys.NETLINK_NETFILTER, 1u << 8));
        using (trace)
        {
            Sh("ping -c 1 -W 1 198.51.100.1");
            while (trace.WaitReadable(500)) trace.Receive();
        }
        trace.Recording.Save(Path.Combine(recordings, "trace-events.netfilter.nlrec"), $"{Header}\nNFNLGRP_NFTRACE events of one ping to 198.51.100.1 (table ip trace in Recorder.cs)");
        recs["trace-events.netfilter.nlrec"] = trace.Recording;
        Console.WriteLine($"recorded trace-events: {trace.Recording.Entries.Count} datagrams");

        // The nftables reader's input: libnftables' JSON of the ruleset, with handles.
        string ruleset;
        using (var ctx = new NetContext()) ruleset = Nftables.Run(ctx, null, "list ruleset", json: true, doing: "read the ruleset");
        File.WriteAllText(Path.Combine(recordings, "ruleset.json"), ruleset);

        WriteCorpus(corpus, recs, ruleset);
        return 0;
    }

    /// <summary>Seeds per target: single messages (small seeds mutate best) and a few whole datagrams.</summary>
    /// <summary>The element batches and reads the nat-elements recording holds (RecordedKernelTests replays them).</summary>
    internal static void NatElementsScenario(NetContext ctx)
    {
        var sock = ctx.NetfilterSocket(null);
        var host = System.Net.IPAddress.Parse("198.51.100.1");
        byte[] a10 = { 198, 51, 100, 10 }, a11 = { 198, 51, 100, 11 };
        new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), a10, "vnet:publish-tcp-8080") })
            .Add("pub_tcp_port", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), NftSetElements.InetService(80)) })
            .Add("pub_tcp_addr", new[] { 9000, 9001 }.Select(p => new NftSetElements.Element(NatIds.Key(host, p), a11, "vnet:publish-tcp-198.51.100.1-9000-9001")).ToList())
            .Add("pub_tcp_addr_port", new[] { 9000, 9001 }.Select(p => new NftSetElements.Element(NatIds.Key(host, p), NftSetElements.InetService(p))).ToList())
            .Commit(sock);
        new NftElementBatch(Nftables.FamilyInet, "vnet")
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8081), a10, "vnet:publish-tcp-8081") })
            .Add("pub_tcp", new[] { new NftSetElements.Element(NftSetElements.InetService(8080), a10, "vnet:publish-tcp-8080") })
            .Commit(sock);
        ctx.Nat.List();
        var keys = new[] { NftSetElements.InetService(8080) };
        new NftElementBatch(Nftables.FamilyInet, "vnet").Delete("pub_tcp", keys).Delete("pub_tcp_port", keys).Commit(sock);
    }

    private static void WriteCorpus(string corpus, Dictionary<string, NetlinkRecording> recs, string ruleset)
    {
        void Seed(string target, string name, byte[] data)
        {
            Directory.CreateDirectory(Path.Combine(corpus, target));
            File.WriteAllBytes(Path.Combine(corpus, target, name), data);
        }
        IEnumerable<byte[]> Messages(string file) => recs[file].Received.SelectMany(Split);

        int n = 0;
        foreach (var m in Messages("links.route.nlrec")) Seed("link", $"link-{n++:D2}", m);
        n = 0;
        foreach (var m in Messages("addresses.route.nlrec").Where(m => Type(m) == Rtm.NEWADDR)) Seed("address", $"addr-{n++:D2}", m);
        n = 0;
        foreach (var m in Messages("routes.route.nlrec").Where(m => Type(m) == Rtm.NEWROUTE)) Seed("route", $"route-{n++:D2}", m);
        n = 0;
        foreach (var m in Messages("fdb.route.nlrec").Where(m => Type(m) == Rtm.NEWNEIGH)) Seed("fdb", $"fdb-{n++:D2}", m);
        n = 0;
        foreach (var m in Messages("conntrack.netfilter.nlrec").Where(m => Type(m) == ((1 << 8) | 0))) Seed("conntrack", $"ct-{n++:D2}", m);
        n = 0;
        foreach (var d in recs["trace-events.netfilter.nlrec"].Received) Seed("trace", $"trace-{n++:D2}", d);
        // The VXLAN target answers every request with one datagram: the tunnel's link message and its FDB together.
        var vxlanLink = Messages("links.route.nlrec").First(m => Type(m) == Rtm.NEWLINK && LinkName(m) == "vx0");
        Seed("vxlan", "vx0-and-fdb", vxlanLink.Concat(Messages("fdb.route.nlrec").Where(m => Type(m) == Rtm.NEWNEIGH).SelectMany(m => m)).ToArray());
        Seed("vxlan", "vx0", vxlanLink);
        // The codec: a whole dump datagram of each kind, an ACK and an error with extended ACK text.
        n = 0;
        foreach (var file in new[] { "addresses.route.nlrec", "routes.route.nlrec", "add-address.route.nlrec", "add-address-twice.route.nlrec", "conntrack.netfilter.nlrec" })
            foreach (var d in recs[file].Received.Where(d => d.Length <= 4096)) Seed("netlink", $"dgram-{n++:D2}", d);
        Seed("nft", "ruleset", System.Text.Encoding.UTF8.GetBytes(ruleset));
        // Publish map elements as the kernel dumps them (NFT_MSG_NEWSETELEM, subsystem 10, message 12).
        n = 0;
        foreach (var m in Messages("nat-elements.netfilter.nlrec").Where(m => Type(m) == (10 << 8 | 12) && m.Length > 64)) Seed("setelem", $"setelem-{n++:D2}", m);
    }

    private static ushort Type(byte[] m) => BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(4));

    private static string? LinkName(byte[] m) => VNet.Core.Links.LinkService.Parse(NetlinkMessage.ParseAll(m)[0], null).Name;

    /// <summary>A datagram's messages, each as a datagram of its own.</summary>
    private static IEnumerable<byte[]> Split(byte[] d)
    {
        int off = 0;
        while (off + 16 <= d.Length)
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(off));
            if (len < 16 || len > d.Length - off) yield break;
            if (Type(d[off..]) != Nl.DONE) yield return d[off..(off + len)];
            off += (len + 3) & ~3;
        }
    }

    private static void Sh(string command, string? stdin = null)
    {
        var psi = new ProcessStartInfo("/bin/sh", new[] { "-c", command }) { RedirectStandardInput = stdin != null };
        using var p = Process.Start(psi)!;
        if (stdin != null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"record: '{command}' failed ({p.ExitCode})");
    }
}
