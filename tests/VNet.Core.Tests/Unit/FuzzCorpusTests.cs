using VNet.Fuzz;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// Every seed of the fuzz corpus (tests/fuzz-corpus/TARGET) and every input afl-fuzz found to crash
/// a parser (tests/fuzz-corpus/crashers/TARGET, kept after the fix) goes through its target once:
/// a malformed message must end as a VNetException, never as any other exception.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "fuzz-corpus");

    public static IEnumerable<object[]> Inputs() =>
        Targets.All.Keys.SelectMany(t => new[] { Path.Combine(Corpus, t), Path.Combine(Corpus, "crashers", t) }
            .Where(Directory.Exists).SelectMany(Directory.GetFiles)
            .Select(f => new object[] { t, Path.GetRelativePath(Corpus, f) }));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void ParsesOrReportsMalformed(string target, string file) =>
        Targets.Run(target, File.ReadAllBytes(Path.Combine(Corpus, file)));

    [Fact]
    public void EveryTargetHasSeeds()
    {
        foreach (var t in Targets.All.Keys)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Corpus, t)));
    }
}
