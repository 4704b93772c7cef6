using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using VNet.Core;
using VNet.Core.Links;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Completion;

/// <summary>
/// Shared by the completers: the word as typed (without quotes), the namespace already given on the
/// command line, and the results. A completer class returns an empty list rather than nothing when
/// there is nothing to offer, so PowerShell does not fall back to file names.
/// </summary>
internal static class CompletionHelper
{
    internal static string Prefix(string? word) => (word ?? "").Trim('\'', '"');

    internal static string? Namespace(IDictionary fake) => fake["Namespace"] as string;

    internal static List<CompletionResult> Results(IEnumerable<string> candidates, string? word, Func<string, string>? tip = null)
    {
        string prefix = Prefix(word);
        return candidates.Distinct(StringComparer.Ordinal)
            .Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, tip?.Invoke(c) ?? c))
            .ToList();
    }

    private static string Quote(string s) => s.Any(ch => char.IsWhiteSpace(ch) || "'\"$`;,(){}@&|<>#".Contains(ch)) ? $"'{s.Replace("'", "''")}'" : s;

    /// <summary>Runs a lookup that touches the kernel or Docker; a failure (no such namespace, no daemon) offers nothing.</summary>
    internal static List<string> Safely(Func<IEnumerable<string>> lookup)
    {
        // Whatever goes wrong while the user presses Tab (a namespace gone, Docker timing out) must
        // not surface as an exception in the prompt: no candidates is the answer.
        try { return lookup().ToList(); }
        catch (Exception) { return new List<string>(); }
    }
}

/// <summary>
/// Tab completion of namespaces: names under /run/netns (as `ip netns list` sees them) and, for a
/// word that starts with '/', the paths -Namespace also takes: /run/netns/NAME, Docker's
/// /run/docker/netns/ID and /proc/PID/ns/net.
/// </summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = CompletionHelper.Prefix(wordToComplete);
        var candidates = new List<string>();
        if (prefix.StartsWith('/'))
        {
            foreach (var dir in new[] { NamespaceService.DefaultNetnsDir }.Concat(NamespaceService.DockerNetnsDirs))
                candidates.AddRange(CompletionHelper.Safely(() => Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir) : Array.Empty<string>()));
            if (prefix.StartsWith("/proc/", StringComparison.Ordinal))
            {
                // Only processes whose namespace differs from this one's: those are the ones worth naming.
                string? self = CompletionHelper.Safely(() => new[] { new FileInfo("/proc/self/ns/net").LinkTarget ?? "" }).FirstOrDefault();
                candidates.AddRange(CompletionHelper.Safely(() => Directory.EnumerateDirectories("/proc")
                    .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    .Where(d => $"{d}/ns/net".StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(d + "/", StringComparison.Ordinal) || d.StartsWith(prefix, StringComparison.Ordinal))
                    .Where(d => { try { return new FileInfo($"{d}/ns/net").LinkTarget != self; } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } })
                    .Select(d => $"{d}/ns/net")));
            }
            else if ("/proc/".StartsWith(prefix, StringComparison.Ordinal))
            {
                candidates.Add("/proc/");
            }
            return CompletionHelper.Results(candidates, wordToComplete);
        }
        candidates.AddRange(CompletionHelper.Safely(() => Directory.Exists(NamespaceService.DefaultNetnsDir)
            ? Directory.EnumerateFileSystemEntries(NamespaceService.DefaultNetnsDir).Select(Path.GetFileName).OfType<string>()
            : Array.Empty<string>()));
        return CompletionHelper.Results(candidates, wordToComplete, n => Path.Combine(NamespaceService.DefaultNetnsDir, n));
    }
}

/// <summary>Tab completion of link names in the namespace already given on the command line (-Namespace), else the current one.</summary>
public sealed class LinkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? ns = CompletionHelper.Namespace(fakeBoundParameters);
        return CompletionHelper.Results(CompletionHelper.Safely(() =>
        {
            using var ctx = new NetContext();
            return ctx.Links.List(ns).Select(l => l.Name).ToList();
        }), wordToComplete);
    }
}

/// <summary>Tab completion of bridges only (-Bridge, -Master): a port can only join a bridge.</summary>
public sealed class BridgeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? ns = CompletionHelper.Namespace(fakeBoundParameters);
        return CompletionHelper.Results(CompletionHelper.Safely(() =>
        {
            using var ctx = new NetContext();
            return ctx.Links.List(ns, null, "bridge").Select(l => l.Name).ToList();
        }), wordToComplete);
    }
}

/// <summary>Tab completion of link kinds (Get-NetLink -Kind).</summary>
public sealed class LinkKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => CompletionHelper.Results(LinkService.KnownKinds, wordToComplete);
}

/// <summary>Tab completion of the ids of VNet's NAT rules in the namespace given (Get-/Remove-NatRule -Id).</summary>
public sealed class NatRuleIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? ns = CompletionHelper.Namespace(fakeBoundParameters);
        return CompletionHelper.Results(CompletionHelper.Safely(() =>
        {
            using var ctx = new NetContext();
            return ctx.Nat.List(ns).Select(r => r.Id).ToList();
        }), wordToComplete);
    }
}

/// <summary>Tab completion of nftables table names in the namespace given (Get-NetFilterRule -Table).</summary>
public sealed class FilterTableCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? ns = CompletionHelper.Namespace(fakeBoundParameters);
        return CompletionHelper.Results(CompletionHelper.Safely(() =>
        {
            using var ctx = new NetContext();
            return ctx.Ruleset.List(ns, null, null).Select(r => r.Table).ToList();
        }), wordToComplete);
    }
}

/// <summary>Tab completion of chain names, of the -Table given when there is one (Get-NetFilterRule -Chain).</summary>
public sealed class FilterChainCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? ns = CompletionHelper.Namespace(fakeBoundParameters);
        string? table = fakeBoundParameters["Table"] as string;
        return CompletionHelper.Results(CompletionHelper.Safely(() =>
        {
            using var ctx = new NetContext();
            return ctx.Ruleset.List(ns, table, null).Select(r => r.Chain).ToList();
        }), wordToComplete);
    }
}

/// <summary>Tab completion of running Docker containers' names (-Container, -PeerContainer); nothing when Docker does not answer.</summary>
public sealed class ContainerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionHelper.Results(CompletionHelper.Safely(() =>
            File.Exists(Core.Docker.DockerClient.SocketPath)
                ? Core.Docker.DockerClient.List(TimeSpan.FromSeconds(1)).Select(c => c.Name)
                : Array.Empty<string>()), wordToComplete);
}

/// <summary>Tab completion of container network names (from the host's network definitions).</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    /// <summary>How long Tab waits for the cluster store's overlay names before offering the local ones alone.</summary>
    private static readonly TimeSpan ClusterWait = TimeSpan.FromMilliseconds(1500);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // Overlay networks live in the cluster store: asked for beside the local files, and left out
        // when the store is slow or gone (a store call may take its whole deadline; Tab must not).
        var overlay = Task.Run(() =>
        {
            using var store = new Core.Networks.CompositeNetworkStore();
            return store.Cluster?.ListNetworks().Select(n => n.Name).ToList() ?? new List<string>();
        });
        var names = CompletionHelper.Safely(() => new Core.Networks.LocalNetworkStore().ListNetworks().Select(n => n.Name));
        names.AddRange(CompletionHelper.Safely(() => overlay.Wait(ClusterWait) ? overlay.Result : Enumerable.Empty<string>()));
        // A store that fails after Tab gave up: its exception is observed here, not left to the finalizer.
        _ = overlay.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return CompletionHelper.Results(names, wordToComplete);
    }
}

/// <summary>Tab completion of network drivers.</summary>
public sealed class NetworkDriverCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionHelper.Results(new[] { "bridge", "macvlan", "none", "overlay" }, wordToComplete);
}
