using System.Text.Json.Nodes;

namespace VNet.Core.Filter;

/// <summary>
/// Pieces of libnftables' JSON input (libnftables-json(5)). VNet builds its commands from these, so
/// an interface name, a comment or an address is always a JSON string, never nft syntax: a name
/// holding '"', ';' or '{' is just a name.
/// </summary>
internal static class NftJson
{
    /// <summary>One command: {"add": {"rule": {...}}}.</summary>
    public static JsonObject Cmd(string verb, string kind, JsonObject body) => new() { [verb] = new JsonObject { [kind] = body } };

    /// <summary>An object of a table: family, table and name set.</summary>
    public static JsonObject In(string family, string table, string name, JsonObject? more = null)
    {
        var o = new JsonObject { ["family"] = family, ["table"] = table, ["name"] = name };
        if (more != null) foreach (var (k, v) in more.ToList()) { more.Remove(k); o[k] = v; }
        return o;
    }

    public static JsonObject Payload(string protocol, string field) => new() { ["payload"] = new JsonObject { ["protocol"] = protocol, ["field"] = field } };
    public static JsonObject Meta(string key) => new() { ["meta"] = new JsonObject { ["key"] = key } };
    public static JsonObject Concat(params JsonNode?[] parts) => new() { ["concat"] = new JsonArray(parts) };
    public static JsonObject Prefix(IPPrefix p) => new() { ["prefix"] = new JsonObject { ["addr"] = p.Network().ToString(), ["len"] = p.PrefixLength } };
    public static JsonObject Match(JsonNode left, JsonNode? right, string op = "==") => new() { ["match"] = new JsonObject { ["op"] = op, ["left"] = left, ["right"] = right } };
    public static JsonObject Stmt(string name) => new() { [name] = null };
    public static JsonObject Map(JsonNode key, string map) => new() { ["map"] = new JsonObject { ["key"] = key, ["data"] = "@" + map } };

    /// <summary>The whole input: {"nftables": [commands]}.</summary>
    public static string Document(JsonArray commands) => new JsonObject { ["nftables"] = commands }.ToJsonString();
}
