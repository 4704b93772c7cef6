using System.Text.Json;
using System.Text.Json.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace VNet.Core.Topology;

/// <summary>
/// Topology documents as YAML (YamlDotNet) or JSON (System.Text.Json), with the same camelCase
/// names in both. Reading refuses unknown keys and wrong types with the line and column, so a typo
/// in a file is an error rather than a silently ignored setting.
/// </summary>
public static class TopologySerializer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string ToYaml(TopologyDocument doc)
    {
        var s = new SerializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
            .DisableAliases()
            .Build();
        return "# VNet topology (Export-NetTopology); apply with Import-NetTopology\n" + s.Serialize(doc);
    }

    public static string ToJson(TopologyDocument doc) => JsonSerializer.Serialize(doc, Json) + "\n";

    /// <summary>Reads a document from a file (YAML or JSON).</summary>
    public static TopologyDocument ReadFile(string path)
    {
        if (!File.Exists(path)) throw Messages.Error("TopologyFileNotFound", VNetErrorCategory.ObjectNotFound, path, path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a document; the format is told by the text (JSON starts with '{').</summary>
    public static TopologyDocument Parse(string text, string source)
    {
        string t = text.TrimStart();
        if (t.StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<TopologyDocument>(text, Json)
                    ?? throw Messages.Error("TopologyInvalid", VNetErrorCategory.InvalidArgument, source, source, "1", "the document is empty");
            }
            catch (JsonException e)
            {
                string where = e.LineNumber is long l ? $"{l + 1}" : "?";
                throw Messages.Error("TopologyInvalid", VNetErrorCategory.InvalidArgument, source, source, where, Clean(e.Message));
            }
        }
        try
        {
            var d = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            return d.Deserialize<TopologyDocument?>(text) ?? new TopologyDocument();
        }
        catch (YamlException e)
        {
            string msg = e.InnerException?.Message ?? e.Message;
            throw Messages.Error("TopologyInvalid", VNetErrorCategory.InvalidArgument, source, source, $"{e.Start.Line}:{e.Start.Column}", Clean(msg));
        }
    }

    // System.Text.Json appends its own position text; the error names the line already.
    private static string Clean(string m)
    {
        int i = m.IndexOf(" Path: ", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }
}
