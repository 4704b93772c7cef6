using System.Globalization;
using System.Resources;

namespace VNet.Core;

/// <summary>User-facing message texts, kept in Messages.resx so they can be reviewed (and translated) in one place.</summary>
public static class Messages
{
    private static readonly ResourceManager Resources = new("VNet.Core.Messages", typeof(Messages).Assembly);

    public static string Format(string key, params object?[] args)
    {
        string? template = Resources.GetString(key, CultureInfo.CurrentUICulture);
        // Never a crash for a user; but plainly marked, and Unit/MessageKeyTests.cs fails on any key
        // the code uses that Messages.resx lacks.
        if (template == null) return $"[missing message {key}] " + string.Join(", ", args);
        return string.Format(CultureInfo.CurrentCulture, template, args);
    }

    public static VNetException Error(string errorId, VNetErrorCategory category, object? target, params object?[] args) =>
        new(errorId, category, Format(errorId, args), target);
}
