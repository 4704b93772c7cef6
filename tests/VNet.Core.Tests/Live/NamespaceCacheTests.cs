using VNet.Core.Namespaces;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// The handles and sockets contexts hand on to each other (Namespaces/NamespaceCache.cs): bounded,
/// closed when asked, never answering for a namespace that was recreated under the same name.
/// </summary>
public class NamespaceCacheTests : LiveTest
{
    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [SkippableFact]
    public void KeepsAtMostItsCapacityAndClosesEverythingOnClear()
    {
        var names = Enumerable.Range(0, NamespaceCache.Capacity + 16).Select(i => Ns($"c{i}")).ToList();
        using var cache = new NamespaceCache();
        int before = OpenDescriptors();
        foreach (var n in names)
        {
            using var ctx = new NetContext { Cache = cache };
            Assert.Single(ctx.Links.List(n));
        }
        Assert.Equal(NamespaceCache.Capacity, cache.Count);
        // A handle and a socket per kept namespace, nothing more.
        Assert.InRange(OpenDescriptors() - before, 0, 2 * NamespaceCache.Capacity + 4);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.InRange(OpenDescriptors() - before, -4, 4);
    }

    [SkippableFact]
    public void ANamespaceRecreatedUnderTheSameNameIsTheNewOne()
    {
        string n = Ns("re");
        using var cache = new NamespaceCache();
        ulong first;
        using (var ctx = new NetContext { Cache = cache })
        {
            first = ctx.Resolve(n).Inode;
            ctx.Bridges.Create(L("old"), n);
        }
        Assert.Equal(1, cache.Count);
        // Removed and made again by another tool: VNet's removal would have closed the kept entry.
        Run("ip", "netns", "del", n);
        Run("ip", "netns", "add", n);
        using (var ctx = new NetContext { Cache = cache })
        {
            Assert.NotEqual(first, ctx.Resolve(n).Inode);
            Assert.Equal(new[] { "lo" }, ctx.Links.List(n).Select(l => l.Name));
        }
    }

    [SkippableFact]
    public void VNetsRemovalClosesTheKeptEntryAtOnce()
    {
        string n = Ns("rm");
        using var cache = new NamespaceCache();
        using (var ctx = new NetContext { Cache = cache })
            ctx.Links.List(n);
        Assert.Equal(1, cache.Count);
        // Removed through another context: the kept handle must not keep it (and its interfaces) alive.
        Ctx.Namespaces.Remove(n, strict: true);
        Assert.Equal(0, cache.Count);
        using var again = new NetContext { Cache = cache };
        var e = Assert.Throws<VNetException>(() => again.Links.List(n));
        Assert.Equal("NamespaceNotFound", e.ErrorId);
    }

    [SkippableFact]
    public void IdleEntriesAreClosedSoon()
    {
        string n = Ns("idle");
        using var cache = new NamespaceCache();
        using (var ctx = new NetContext { Cache = cache })
            ctx.Links.List(n);
        Assert.Equal(1, cache.Count);
        for (int i = 0; i < 50 && cache.Count > 0; i++) Thread.Sleep(20);
        Assert.Equal(0, cache.Count);
    }
}
