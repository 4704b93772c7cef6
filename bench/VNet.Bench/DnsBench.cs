// The "dns" workload: how long a member namespace waits for a name, with 200 members (10 --quick).
// A client inside the namespace
// (a UDP socket made there) asks the VNet agent on 127.0.0.11 for a neighbour's name, one query at
// a time, many times; beside it the same loop against dnsmasq answering the same name from a hosts
// file inside the namespace (what a per-namespace resolver costs at best). Also: how long Connect's
// name-service step takes (resolv.conf, the DNS redirect table, the agent's confirmation).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;
using VNet.Core;
using VNet.Core.Links;
using VNet.Core.Namespaces;
using VNet.Core.Networks;
using VNet.Core.Networks.Agent;
using VNet.Core.Routes;

static class DnsBench
{
    public static void Run(bool quick)
    {
        int queries = quick ? 5000 : 50000;
        using var ctx = new NetContext();
        var store = new LocalNetworkStore();
        string br = "bdns0";
        ctx.Bridges.Create(br);
        ctx.Addresses.Add(br, "198.18.0.1/24");
        var net = new ContainerNetwork { Name = "benchdns", Id = new string('b', 64), BridgeName = br, Created = DateTime.UtcNow };
        net.Subnets.Add(new NetworkSubnet { Subnet = "198.18.0.0/24", Gateway = "198.18.0.1" });
        store.SaveNetwork(net);
        var connectMs = new List<double>();
        var endpoints = new List<ContainerEndpoint>();
        Process? dnsmasq = null;
        try
        {
            for (int i = 1; i <= (quick ? 10 : 200); i++)
            {
                string ns = $"dns{i}";
                ctx.Namespaces.Create(ns);
                ctx.Veths.Create(new VethSpec { Name = $"vdns{i}", PeerName = "eth0", PeerNamespace = ns, Bridge = br });
                ctx.Addresses.Add("eth0", $"198.18.0.{10 + i}/24", ns);
                ctx.Routes.Add(new RouteSpec { Destination = "default", Gateway = "198.18.0.1", Namespace = ns });
                var e = new ContainerEndpoint
                {
                    Id = $"bench{i}", Network = net.Name, NetworkId = net.Id, State = EndpointState.Active, Namespace = ns,
                    NamespacePath = "/run/netns/" + ns, NamespaceInode = ctx.Resolve(ns).Inode, HostInterface = $"vdns{i}",
                    Addresses = { $"198.18.0.{10 + i}/24" }, Names = { ns, $"alias{i}" }, Created = DateTime.UtcNow,
                };
                store.SaveEndpoint(e);
                var sw = Stopwatch.StartNew();
                NameService.EndpointConnected(ctx, store, net, e);
                // The first includes starting the agent; reported apart.
                connectMs.Add(sw.Elapsed.TotalMilliseconds);
                endpoints.Add(e);
            }

            var vnet = Latencies("/run/netns/dns1", new IPEndPoint(IPAddress.Parse("127.0.0.11"), 53), "dns2", queries);

            // dnsmasq in the same namespace, answering the same name from a hosts file.
            string hosts = Path.Combine(Path.GetTempPath(), "vnet-bench-hosts");
            File.WriteAllText(hosts, "198.18.0.12 dns2\n");
            var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "netns", "exec", "dns1", "dnsmasq", "-k", "-u", "root", "--no-resolv", "--no-hosts", "--addn-hosts=" + hosts,
                         "--bind-interfaces", "--listen-address=127.0.0.12", "--pid-file", "--local-ttl=0" })
                psi.ArgumentList.Add(a);
            dnsmasq = Process.Start(psi)!;
            Thread.Sleep(500);
            var peer = Latencies("/run/netns/dns1", new IPEndPoint(IPAddress.Parse("127.0.0.12"), 53), "dns2", queries);

            var w = Console.Out;
            w.WriteLine($"\ndns / one A query from inside a member namespace, {queries} queries one at a time (microseconds)");
            w.WriteLine($"  {"resolver",-34} {"p50",9} {"p90",9} {"p99",9} {"p99.9",9} {"max",9}");
            foreach (var (name, l) in new[] { ("VNet agent (127.0.0.11)", vnet), ("dnsmasq hosts file (in the ns)", peer) })
                w.WriteLine($"  {name,-34} {P(l, 50),9:F1} {P(l, 90),9:F1} {P(l, 99),9:F1} {P(l, 99.9),9:F1} {l[^1],9:F1}");
            // Median of the first and of the second half: Connect's name-service step must not grow with the members.
            var rest = connectMs.Skip(1).ToList();
            double Median(IEnumerable<double> x) { var o = x.Order().ToList(); return o[o.Count / 2]; }
            w.WriteLine($"\ndns / NameService.EndpointConnected (ms): first {connectMs[0]:F1} (starts the agent); then median {Median(rest.Take(rest.Count / 2)):F2} over the first half, {Median(rest.Skip(rest.Count / 2)):F2} over the second half, max {rest.Max():F2}");
        }
        finally
        {
            if (dnsmasq != null) { try { dnsmasq.Kill(); dnsmasq.WaitForExit(); } catch (InvalidOperationException) { } }
            foreach (var e in endpoints)
            {
                store.DeleteEndpoint(net.Name, e.Id);
                NameService.EndpointDisconnected(ctx, store, net, e);
                try { ctx.Namespaces.Remove(e.Namespace!, strict: false); } catch (VNetException) { }
            }
            store.DeleteNetwork(net.Name);
            NameService.NetworkRemoved(ctx, store, net);
            try { ctx.Links.Remove(br); } catch (VNetException) { }
            AgentClient.Stop(TimeSpan.FromSeconds(10));
        }
    }

    internal static double P(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    /// <summary>Sorted per-query latencies in microseconds, from a socket made inside the namespace.</summary>
    internal static double[] Latencies(string nsPath, IPEndPoint server, string name, int count, int timeoutMs = 2000)
    {
        using var nsFile = File.OpenHandle(nsPath);
        using var s = NamespaceThread.Run((int)nsFile.DangerousGetHandle(), () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        s.Connect(server);
        s.ReceiveTimeout = timeoutMs;
        var q = new Message { RD = true };
        q.Questions.Add(new Question { Name = name, Type = DnsType.A });
        var query = q.ToByteArray();
        var buffer = new byte[1500];
        var result = new double[count];
        int warm = Math.Min(2000, count / 5);
        for (int i = -warm; i < count; i++)
        {
            query[0] = (byte)(i >> 8);
            query[1] = (byte)i;
            long t0 = Stopwatch.GetTimestamp();
            s.Send(query);
            int n = s.Receive(buffer);
            double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (n < 12 || buffer[0] != query[0] || buffer[1] != query[1] || (buffer[3] & 0x0f) != 0 || buffer[7] == 0)
                throw new InvalidOperationException($"{server} did not answer {name} (rcode {buffer[3] & 0x0f})");
            if (i >= 0) result[i] = us;
        }
        Array.Sort(result);
        return result;
    }
}
