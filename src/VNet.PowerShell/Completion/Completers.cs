using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using VNet.Core;

namespace VNet.PowerShell.Completion;

/// <summary>Tab completion of namespace names (/run/netns, as `ip netns list` sees them).</summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        if (!Directory.Exists(Core.Namespaces.NamespaceService.DefaultNetnsDir)) yield break;
        foreach (var f in Directory.EnumerateFileSystemEntries(Core.Namespaces.NamespaceService.DefaultNetnsDir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(f);
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, f);
        }
    }
}

/// <summary>Tab completion of link names in the namespace already given on the command line (-Namespace), else the current one.</summary>
public sealed class LinkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        string? ns = fakeBoundParameters["Namespace"] as string;
        List<string> names;
        try
        {
            using var ctx = new NetContext();
            names = ctx.Links.List(ns).Select(l => l.Name).ToList();
        }
        catch (VNetException)
        {
            yield break;
        }
        foreach (var n in names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            yield return new CompletionResult(n, n, CompletionResultType.ParameterValue, n);
    }
}

/// <summary>Tab completion of container network names (from the host's network definitions).</summary>
public sealed class NetworkNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        IReadOnlyList<Core.Networks.ContainerNetwork> nets;
        try { nets = new Core.Networks.LocalNetworkStore().ListNetworks(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or VNetException) { yield break; }
        foreach (var n in nets.Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue, $"{n.Name} ({n.Driver}, {string.Join(", ", n.Subnets)})");
    }
}

/// <summary>Tab completion of network drivers.</summary>
public sealed class NetworkDriverCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string prefix = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var d in new[] { "bridge", "macvlan", "none" }.Where(d => d.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            yield return new CompletionResult(d, d, CompletionResultType.ParameterValue, d);
    }
}
