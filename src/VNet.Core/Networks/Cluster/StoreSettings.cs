using System.Text.Json;
using VNet.Core.Native;

namespace VNet.Core.Networks.Cluster;

/// <summary>
/// This host's setting for the cluster store (etcd), kept in {config}/store.json (/etc/vnet, moved
/// by $VNET_CONFIG_DIR like the other roots). Without it, overlay networks are refused and
/// everything else works as before. Written by Set-VNetStore; read by every operation that touches
/// an overlay network and by the agent.
/// </summary>
public sealed class StoreSettings
{
    /// <summary>etcd client URLs (http://ADDR:2379 or https://...).</summary>
    public List<string> Endpoints { get; set; } = new();
    /// <summary>The underlay address other hosts send this host's VXLAN traffic to; null: the source address the kernel picks to reach the first endpoint.</summary>
    public string? AdvertiseAddress { get; set; }
    /// <summary>This host's stable id in the store (random hex, made once by Set-VNetStore).</summary>
    public string HostId { get; set; } = "";
    /// <summary>The name shown for this host (the host name unless given).</summary>
    public string HostName { get; set; } = "";
    /// <summary>TLS: the CA bundle that signs the servers' certificates, and this client's certificate and key (PEM files).</summary>
    public string? CaFile { get; set; }
    public string? CertFile { get; set; }
    public string? KeyFile { get; set; }
    /// <summary>etcd authentication: the user, and a file (mode 0600) holding the password, so the password is never in store.json.</summary>
    public string? UserName { get; set; }
    public string? PasswordFile { get; set; }

    public static string FilePath => Path.Combine(StateRoots.Config, "store.json");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The settings, or null when no store is set on this host.</summary>
    public static StoreSettings? Load()
    {
        string f = FilePath;
        if (!File.Exists(f)) return null;
        try
        {
            var s = JsonSerializer.Deserialize<StoreSettings>(File.ReadAllBytes(f));
            return s is { Endpoints.Count: > 0 } ? s : null;
        }
        catch (JsonException e)
        {
            throw Messages.Error("StoreSettingsInvalid", VNetErrorCategory.InvalidOperation, f, f, e.Message);
        }
    }

    public void Save()
    {
        Directory.CreateDirectory(StateRoots.Config);
        AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(this, Json));
    }
}
