using System.Text.RegularExpressions;

namespace VNet.Core;

/// <summary>Shell-style * and ? matching for name filters (Get-NetLink -Name 'veth*'), ordinal and case-sensitive like the kernel's names.</summary>
public static class Wildcard
{
    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?' }) >= 0;

    public static bool IsMatch(string value, string pattern)
    {
        if (!HasWildcard(pattern)) return string.Equals(value, pattern, StringComparison.Ordinal);
        string re = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return Regex.IsMatch(value, re, RegexOptions.CultureInvariant);
    }
}
