using VNet.Core.Namespaces;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// The handles and sockets contexts hand on to each other (Namespaces/NamespaceCache.cs): bounded,
/// closed when asked, never answering for a namespace that was recreated under the same name.
/// </summary>
public class NamespaceCacheTests : LiveTest
{
    /// <summary>This process's descriptors open on these namespaces (other tests run alongside, so not all descriptors).</summary>
    private static int OpenOn(IEnumerable<string> names)
    {
        // A descriptor opened through a name reads as that path; one opened from inside, as net:[inode].
        var wanted = names.SelectMany(n => new[] { Path.Combine("/run/netns", n), $"net:[{Native.Sys.StatPath(Path.Combine("/run/netns", n))!.Value.Ino}]" }).ToHashSet();
        int count = 0;
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try { if (new FileInfo(fd).LinkTarget is string t && wanted.Contains(t)) count++; }
            catch (IOException) { } // closed meanwhile
        }
        return count;
    }

    /// <summary>An idle time no loaded machine reaches while a test counts entries (the default, 200 ms, it can).</summary>
    private const int Unhurried = 60_000;

    [SkippableFact]
    public void KeepsAtMostItsCapacityAndClosesEverythingOnClear()
    {
        // Made by a context of their own: the test's context keeps what it creates open.
        var names = Enumerable.Range(0, NamespaceCache.Capacity + 16).Select(i => $"{P}-c{i}").ToList();
        using (var maker = new NetContext())
            foreach (var n in names) maker.Namespaces.Create(n);
        try
        {
            KeepsAtMostItsCapacity(names);
        }
        finally
        {
            foreach (var n in names) Ctx.Namespaces.Remove(n, strict: false);
        }
    }

    private static void KeepsAtMostItsCapacity(List<string> names)
    {
        using var cache = new NamespaceCache(Unhurried);
        foreach (var n in names)
        {
            using var ctx = new NetContext { Cache = cache };
            Assert.Single(ctx.Links.List(n));
        }
        Assert.Equal(NamespaceCache.Capacity, cache.Count);
        // One handle per kept namespace, none on the others.
        Assert.Equal(NamespaceCache.Capacity, OpenOn(names));
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, OpenOn(names));
    }

    [SkippableFact]
    public void ANamespaceRecreatedUnderTheSameNameIsTheNewOne()
    {
        string n = Ns("re");
        using var cache = new NamespaceCache(Unhurried);
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
        using var cache = new NamespaceCache(Unhurried);
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
        // Soon: one idle time and a sweep, which a loaded run can stretch past a second.
        for (int i = 0; i < 500 && cache.Count > 0; i++) Thread.Sleep(20);
        Assert.Equal(0, cache.Count);
    }
}
