using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using VNet.Core.Native;

namespace VNet.Core.Networks;

/// <summary>
/// The store of one host's networks, in files:
/// <code>
/// {state}/networks/NAME.json                 the definition (survives a reboot)
/// {run}/networks/NAME/endpoints/ID.json       one file per endpoint (no whole-state rewrite per Connect)
/// {run}/networks/NAME/leases/ADDRESS          one file per leased address, holding the endpoint id (made with O_EXCL)
/// {run}/networks/NAME/last-4, last-6          the last address handed out (round robin)
/// {run}/networks/version                      touched after every endpoint change (see Version)
/// {run}/locks/networks.lock, network-NAME.lock   flock locks
/// </code>
/// Every file is written whole to a temporary name, fsynced and renamed into place, so a reader
/// (or a crash) sees the old content or the new, never half of one.
/// </summary>
public sealed class LocalNetworkStore : INetworkStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _state;
    private readonly string _run;

    public LocalNetworkStore() : this(StateRoots.State, StateRoots.Run) { }

    public LocalNetworkStore(string stateRoot, string runRoot)
    {
        _state = stateRoot;
        _run = runRoot;
    }

    private string DefinitionDir => Path.Combine(_state, "networks");
    private string RunNetworks => Path.Combine(_run, "networks");
    private string NetworkRun(string network) => Path.Combine(RunNetworks, Safe(network));
    private string EndpointDir(string network) => Path.Combine(NetworkRun(network), "endpoints");
    private string LeaseDir(string network) => Path.Combine(NetworkRun(network), "leases");
    private string VersionFile => Path.Combine(RunNetworks, "version");

    /// <summary>Names reach the file system only after validation; this is the last guard against a path in a name.</summary>
    private static string Safe(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\0') || name.StartsWith('.'))
            throw new ArgumentException($"'{name}' cannot name a file in VNet's state.", nameof(name));
        return name;
    }

    public IDisposable LockNetworks(TimeSpan timeout) =>
        FileLock.Acquire(Path.Combine(_run, "locks", "networks.lock"), timeout, "the list of networks");

    public IDisposable LockNetwork(string network, TimeSpan timeout) =>
        FileLock.Acquire(Path.Combine(_run, "locks", $"network-{Safe(network)}.lock"), timeout, $"network '{network}'");

    public IReadOnlyList<ContainerNetwork> ListNetworks()
    {
        if (!Directory.Exists(DefinitionDir)) return Array.Empty<ContainerNetwork>();
        var list = new List<ContainerNetwork>();
        foreach (var f in Directory.EnumerateFiles(DefinitionDir, "*.json"))
        {
            var n = ReadJson<ContainerNetwork>(f);
            if (n == null) continue;
            n.EndpointCount = CountFiles(EndpointDir(n.Name), "*.json");
            list.Add(n);
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    public ContainerNetwork? GetNetwork(string name)
    {
        var n = ReadJson<ContainerNetwork>(Path.Combine(DefinitionDir, Safe(name) + ".json"));
        if (n != null) n.EndpointCount = CountFiles(EndpointDir(n.Name), "*.json");
        return n;
    }

    public ContainerNetwork? GetDefinition(string name) => ReadJson<ContainerNetwork>(Path.Combine(DefinitionDir, Safe(name) + ".json"));

    public void SaveNetwork(ContainerNetwork network) =>
        AtomicFile.Write(Path.Combine(DefinitionDir, Safe(network.Name) + ".json"), JsonSerializer.SerializeToUtf8Bytes(network, Json));

    public void DeleteNetwork(string name)
    {
        string run = NetworkRun(name);
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        File.Delete(Path.Combine(DefinitionDir, Safe(name) + ".json"));
        Touch();
    }

    public IReadOnlyList<ContainerEndpoint> ListEndpoints(string network)
    {
        string dir = EndpointDir(network);
        if (!Directory.Exists(dir)) return Array.Empty<ContainerEndpoint>();
        var list = new List<ContainerEndpoint>();
        foreach (var f in Directory.EnumerateFiles(dir, "*.json"))
            if (ReadJson<ContainerEndpoint>(f) is { } e) list.Add(e);
        list.Sort((a, b) => a.Created.CompareTo(b.Created));
        return list;
    }

    public ContainerEndpoint? GetEndpoint(string network, string endpointId) =>
        ReadJson<ContainerEndpoint>(Path.Combine(EndpointDir(network), Safe(endpointId) + ".json"));

    public void SaveEndpoint(ContainerEndpoint endpoint)
    {
        AtomicFile.Write(Path.Combine(EndpointDir(endpoint.Network), Safe(endpoint.Id) + ".json"), JsonSerializer.SerializeToUtf8Bytes(endpoint, Json));
        Touch();
    }

    public void DeleteEndpoint(string network, string endpointId)
    {
        File.Delete(Path.Combine(EndpointDir(network), Safe(endpointId) + ".json"));
        Touch();
    }

    public bool TryClaimAddress(string network, IPAddress address, string endpointId)
    {
        string dir = LeaseDir(network);
        Directory.CreateDirectory(dir);
        try
        {
            // FileMode.CreateNew is open(O_CREAT|O_EXCL): of two racing claimants exactly one wins.
            using var f = new FileStream(Path.Combine(dir, LeaseName(address)), FileMode.CreateNew, FileAccess.Write);
            f.Write(System.Text.Encoding.ASCII.GetBytes(endpointId));
            f.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(Path.Combine(dir, LeaseName(address))))
        {
            return false;
        }
    }

    public bool TryReserve(ContainerEndpoint pending, IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<IPAddress> dynamic, out IPAddress? conflict)
    {
        // Each lease file is atomic alone (O_EXCL); together they are made all or nothing by
        // releasing the ones already claimed when a later one is held. A crash in between leaves
        // leases without a record, which Repair and an exhausted Connect release.
        var claimed = new List<IPAddress>();
        foreach (var a in addresses)
        {
            if (TryClaimAddress(pending.Network, a, pending.Id)) { claimed.Add(a); continue; }
            foreach (var c in claimed) ReleaseAddress(pending.Network, c);
            conflict = a;
            return false;
        }
        foreach (var a in dynamic) SetLastAllocated(pending.Network, a);
        NetworkService.CrashTestPause("leased");
        SaveEndpoint(pending);
        conflict = null;
        return true;
    }

    public string? AddressHolder(string network, IPAddress address)
    {
        try { return File.ReadAllText(Path.Combine(LeaseDir(network), LeaseName(address))).Trim(); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public void ReleaseAddress(string network, IPAddress address) =>
        File.Delete(Path.Combine(LeaseDir(network), LeaseName(address)));

    public IReadOnlyDictionary<IPAddress, string> Leases(string network)
    {
        var result = new Dictionary<IPAddress, string>();
        string dir = LeaseDir(network);
        if (!Directory.Exists(dir)) return result;
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            string name = Path.GetFileName(f);
            if (name.StartsWith('.')) continue;
            if (!IPAddress.TryParse(name.Replace('_', ':'), out var a)) continue;
            try { result[a] = File.ReadAllText(f).Trim(); }
            catch (FileNotFoundException) { } // released meanwhile
        }
        return result;
    }

    public IPAddress? LastAllocated(string network, AddressFamily family)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(NetworkRun(network), family == AddressFamily.InterNetworkV6 ? "last-6" : "last-4")).Trim();
            return IPAddress.TryParse(text, out var a) ? a : null;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public void SetLastAllocated(string network, IPAddress address) =>
        AtomicFile.Write(Path.Combine(NetworkRun(network), address.AddressFamily == AddressFamily.InterNetworkV6 ? "last-6" : "last-4"),
            System.Text.Encoding.ASCII.GetBytes(address.ToString()), sync: false);

    public long Version()
    {
        try { return File.GetLastWriteTimeUtc(VersionFile).Ticks; }
        catch (IOException) { return 0; }
    }

    /// <summary>':' is legal in Linux file names but awkward in shells; IPv6 leases use '_'.</summary>
    private static string LeaseName(IPAddress a) => a.ToString().Replace(':', '_');

    private void Touch()
    {
        Directory.CreateDirectory(RunNetworks);
        using (new FileStream(VersionFile, FileMode.OpenOrCreate, FileAccess.Write)) { }
        File.SetLastWriteTimeUtc(VersionFile, DateTime.UtcNow);
    }

    private static int CountFiles(string dir, string pattern) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, pattern).Count() : 0;

    private static T? ReadJson<T>(string path) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Json); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException) { return null; } // never half a file (atomic writes), but a hand edit may break one
    }
}
