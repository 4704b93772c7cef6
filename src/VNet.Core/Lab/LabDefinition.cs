using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VNet.Core.Lab;

/// <summary>
/// A lab file: hosts on a shared underlay. Unknown keys are errors (a typo must not silently
/// become a default). Example: lab/two-host.json.
/// </summary>
public sealed class LabDefinition
{
    public string Name { get; set; } = "";
    public UnderlayDefinition Underlay { get; set; } = new();
    public List<HostDefinition> Hosts { get; set; } = new();
    /// <summary>
    /// "etcd": Start-VNetLab also starts an etcd cluster on the hosts (one member per host, three
    /// for three or more hosts) and points every host's VNet at it. Null or "none": no store.
    /// </summary>
    public string? Store { get; set; }

    public const string EtcdStore = "etcd";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static LabDefinition Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw Messages.Error("LabFileInvalid", VNetErrorCategory.ObjectNotFound, path, path, e.Message); }
        LabDefinition? def;
        try { def = JsonSerializer.Deserialize<LabDefinition>(text, Options); }
        catch (JsonException e) { throw Messages.Error("LabFileInvalid", VNetErrorCategory.InvalidArgument, path, path, e.Message); }
        if (def == null) throw Messages.Error("LabFileInvalid", VNetErrorCategory.InvalidArgument, path, path, "it is empty");
        def.Validate(path);
        return def;
    }

    public void Validate(string source)
    {
        VNetException Bad(string why) => Messages.Error("LabFileInvalid", VNetErrorCategory.InvalidArgument, source, source, why);
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 8 || !Name.All(char.IsAsciiLetterOrDigit))
            throw Bad($"name '{Name}' must be 1 to 8 letters or digits (it prefixes interface names)");
        var subnet = Validation.Cidr(Underlay.Subnet, requirePrefix: true);
        if (Underlay.Mtu is < Validation.MinMtu or > Validation.MaxMtu) throw Bad($"underlay mtu {Underlay.Mtu} is out of range");
        if (Hosts.Count < 2) throw Bad("a lab needs at least two hosts");
        if (Store != null && !string.Equals(Store, "none", StringComparison.OrdinalIgnoreCase) && !string.Equals(Store, EtcdStore, StringComparison.OrdinalIgnoreCase))
            throw Bad($"store '{Store}' is not one of: etcd, none");
        var seen = new HashSet<string>();
        var addrs = new HashSet<string>();
        foreach (var h in Hosts)
        {
            if (string.IsNullOrWhiteSpace(h.Name) || h.Name.Length > 6 || !h.Name.All(c => char.IsAsciiLetterOrDigit(c)))
                throw Bad($"host name '{h.Name}' must be 1 to 6 letters or digits");
            if (!seen.Add(h.Name)) throw Bad($"host '{h.Name}' appears twice");
            if (!IPAddress.TryParse(h.Address, out var a) || !subnet.Contains(a))
                throw Bad($"host '{h.Name}' address '{h.Address}' is not an address in the underlay {Underlay.Subnet}");
            if (!addrs.Add(a.ToString())) throw Bad($"address {h.Address} is used twice");
            Validation.LinkName(h.Device, "device");
        }
    }
}

public sealed class UnderlayDefinition
{
    public string Subnet { get; set; } = "192.0.2.0/24";
    public int Mtu { get; set; } = 1500;
}

public sealed class HostDefinition
{
    public string Name { get; set; } = "";
    /// <summary>The host's underlay address (192.0.2.11 in the lab).</summary>
    public string Address { get; set; } = "";
    /// <summary>The underlay interface inside the host (eth1, like a VM's second NIC).</summary>
    public string Device { get; set; } = "eth1";
}
