using System.Collections.Concurrent;
using VNet.Core.Events;
using VNet.Core.Filter;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>Watch-NetEvent and Get-NetConntrack -Watch in the core: changes made on another thread are seen, tagged with their namespace.</summary>
public class EventTests : LiveTest
{
    /// <summary>Runs the watch on its own thread (with its own context, as a second session would) and collects what it yields.</summary>
    private (Thread Thread, ConcurrentQueue<NetEvent> Seen, CancellationTokenSource Stop, ManualResetEventSlim Ready) StartWatch(WatchSpec spec)
    {
        var seen = new ConcurrentQueue<NetEvent>();
        var stop = new CancellationTokenSource();
        var ready = new ManualResetEventSlim();
        spec.Listening = ready.Set;
        var t = new Thread(() =>
        {
            using var ctx = new NetContext();
            foreach (var e in new NetEventWatcher(ctx).Watch(spec, stop.Token)) seen.Enqueue(e);
        });
        t.Start();
        Assert.True(ready.Wait(10000), "the watch started listening");
        return (t, seen, stop, ready);
    }

    [SkippableFact]
    public void LinkAndAddressEventsOfTwoNamespacesInOneStream()
    {
        string a = Ns("a"), b = Ns("b");
        var (t, seen, stop, _) = StartWatch(new WatchSpec { Namespaces = new[] { a, b }, Kinds = new[] { "Link", "Address" }, TimeoutMs = 30000 });
        Ctx.Bridges.Create("wbr0", a);
        Ctx.Addresses.Add("wbr0", "192.0.2.1/24", a);
        Ctx.Bridges.Create("wbr1", b);
        Ctx.Links.Remove("wbr0", a);
        bool Has(Func<NetEvent, bool> f) => seen.Any(f);
        for (int i = 0; i < 50 && !Has(e => e.Kind == "Link" && e.Action == "Removed" && e.InterfaceName == "wbr0"); i++) Thread.Sleep(100);
        stop.Cancel();
        Assert.True(t.Join(5000), "cancelling ends the watch");
        Assert.Contains(seen, e => e.Namespace == a && e.Kind == "Link" && e.Action == "Added" && e.InterfaceName == "wbr0" && e.Type == "bridge");
        Assert.Contains(seen, e => e.Namespace == a && e.Kind == "Address" && e.Action == "Added" && e.Address == "192.0.2.1/24" && e.InterfaceName == "wbr0");
        Assert.Contains(seen, e => e.Namespace == b && e.Kind == "Link" && e.Action == "Added" && e.InterfaceName == "wbr1");
        Assert.Contains(seen, e => e.Namespace == a && e.Kind == "Link" && e.Action == "Removed" && e.InterfaceName == "wbr0");
        Assert.DoesNotContain(seen, e => e.Namespace == b && e.InterfaceName == "wbr0");
        Assert.DoesNotContain(seen, e => e.Kind is "Route" or "Fdb" or "Neighbour"); // only the kinds asked for
    }

    [SkippableFact]
    public void CountEndsTheWatch()
    {
        string a = Ns("a");
        var (t, seen, stop, _) = StartWatch(new WatchSpec { Namespaces = new[] { a }, Kinds = new[] { "Link" }, Count = 1, TimeoutMs = 60000 });
        Ctx.Bridges.Create("wbr0", a);
        Assert.True(t.Join(10000), "the watch ended after one event, long before its time limit");
        Assert.Single(seen);
        stop.Dispose();
    }

    [SkippableFact]
    public void AnUnknownKindIsRefusedBeforeWatching()
    {
        using var ctx = new NetContext();
        var e = Assert.ThrowsAny<VNetException>(() => new NetEventWatcher(ctx).Watch(new WatchSpec { Kinds = new[] { "Links" } }).First());
        Assert.Equal("InvalidEventKind", e.ErrorId);
        Assert.Equal("Links", e.Target);
    }

    [SkippableFact]
    public void ConntrackEventsShowNewConnections()
    {
        string a = Ns("a");
        RunIn(a, "ip", "link", "set", "lo", "up");
        // Conntrack runs in a namespace once something there needs it: a NAT rule.
        Ctx.Nat.Add(new NatSpec { Kind = "Masquerade", Source = "192.0.2.0/24", Namespace = a });
        var seen = new ConcurrentQueue<NetConntrackEntry>();
        var stop = new CancellationTokenSource();
        var ready = new ManualResetEventSlim();
        var spec = new WatchSpec { Namespaces = new[] { a }, TimeoutMs = 20000, Listening = ready.Set };
        var t = new Thread(() =>
        {
            using var ctx = new NetContext();
            foreach (var e in new NetEventWatcher(ctx).WatchConntrack(spec, null, "127.0.0.1", stop.Token)) seen.Enqueue(e);
        });
        t.Start();
        Assert.True(ready.Wait(10000), "the watch started listening");
        Assert.True(Ping(a, "127.0.0.1"));
        for (int i = 0; i < 50 && !seen.Any(e => e.Event == "New"); i++) Thread.Sleep(100);
        stop.Cancel();
        Assert.True(t.Join(5000));
        Assert.Contains(seen, e => e.Event == "New" && e.Protocol == "icmp" && e.Destination == "127.0.0.1" && e.Namespace == a);
    }
}
