using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// Message keys are strings, and Messages.Format falls back to the bare key when one is missing, so
/// a typo would reach users as "SomeKey: a, b". Every key the code names must be in Messages.resx,
/// and every template must take the arguments the code gives it.
/// </summary>
public class MessageKeyTests
{
    private static string Repo()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "VNet.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("VNet.sln not found above the test folder");
    }

    private static Dictionary<string, string> Resx() =>
        XDocument.Load(Path.Combine(Repo(), "src", "VNet.Core", "Errors", "Messages.resx")).Root!
            .Elements("data").ToDictionary(e => (string)e.Attribute("name")!, e => (string)e.Element("value")!);

    /// <summary>Every Messages.Error("Key", ...) and Messages.Format("Key", ...) in the sources, with the file it is in.</summary>
    private static List<(string Key, string File)> KeysUsed()
    {
        var re = new Regex(@"Messages\.(?:Error|Format)\(\s*""([A-Za-z0-9]+)""");
        var result = new List<(string, string)>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Repo(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (f.Contains("/obj/", StringComparison.Ordinal) || f.Contains("/bin/", StringComparison.Ordinal)) continue;
            foreach (Match m in re.Matches(File.ReadAllText(f))) result.Add((m.Groups[1].Value, Path.GetRelativePath(Repo(), f)));
        }
        return result;
    }

    [Fact]
    public void EveryKeyUsedInCodeIsInMessagesResx()
    {
        var resx = Resx();
        var used = KeysUsed();
        Assert.True(used.Count > 50, $"found only {used.Count} uses: has the pattern changed?");
        var missing = used.Where(u => !resx.ContainsKey(u.Key)).Select(u => $"{u.Key} ({u.File})").Distinct().ToList();
        Assert.True(missing.Count == 0, "missing from Messages.resx: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryKeyResolvesThroughTheShippedResources()
    {
        // The embedded resources the assembly really carries, not only the file in the repository.
        var rm = new ResourceManager("VNet.Core.Messages", typeof(Messages).Assembly);
        foreach (var (key, file) in KeysUsed())
            Assert.True(rm.GetString(key) != null, $"{key} ({file}) is not in the built assembly's messages");
    }

    [Fact]
    public void EveryTemplateIsAValidFormatString()
    {
        foreach (var (key, template) in Resx())
        {
            // Throws FormatException on a broken template ("{0" or "{x}").
            var ex = Record.Exception(() => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new object[20]));
            Assert.True(ex == null, $"{key}: {ex?.Message}");
        }
    }

    [Fact]
    public void AMissingKeyFailsLoudlyInTests()
    {
        // The silent fallback stays for users (a message is better than a crash), but it is marked
        // so that a test asserting on a message can never pass with a missing template.
        string text = Messages.Format("NoSuchKeyForTesting", "a");
        Assert.StartsWith("[missing message NoSuchKeyForTesting]", text);
    }
}
