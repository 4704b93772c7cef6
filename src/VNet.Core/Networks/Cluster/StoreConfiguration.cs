using System.Net;
using System.Net.Sockets;
using Etcdserverpb;

namespace VNet.Core.Networks.Cluster;

/// <summary>What Set-VNetStore asks for; null: keep what is set (HostName, TLS files) or choose (AdvertiseAddress).</summary>
public sealed class StoreSpec
{
    public string[] Endpoints { get; set; } = Array.Empty<string>();
    public string? AdvertiseAddress { get; set; }
    public string? HostName { get; set; }
    public string? CaFile { get; set; }
    public string? CertFile { get; set; }
    public string? KeyFile { get; set; }
    public string? UserName { get; set; }
    /// <summary>Written to {config}/store.password (mode 0600), never to store.json.</summary>
    public string? Password { get; set; }
}

/// <summary>One endpoint as Get-VNetStore saw it.</summary>
public sealed class StoreEndpointStatus
{
    public string Endpoint { get; init; } = "";
    public bool Reachable { get; init; }
    /// <summary>The member's name, its etcd version, whether it is the leader (when reachable).</summary>
    public string? Member { get; init; }
    public string? Version { get; init; }
    public bool IsLeader { get; init; }
    /// <summary>Why it could not be reached.</summary>
    public string? Error { get; init; }
    public override string ToString() => Reachable ? $"{Endpoint} ({Member}{(IsLeader ? ", leader" : "")})" : $"{Endpoint} (unreachable)";
}

/// <summary>Get-VNetStore: the settings, and how the cluster looks from here. Unreachable is data, not an error.</summary>
public sealed class StoreStatus
{
    public IReadOnlyList<string> Endpoints { get; init; } = Array.Empty<string>();
    public string HostName { get; init; } = "";
    public string HostId { get; init; } = "";
    /// <summary>The address other hosts send VXLAN traffic to: the one set, or the one the kernel picks to reach the first endpoint.</summary>
    public string? AdvertiseAddress { get; init; }
    public bool AdvertiseAddressSet { get; init; }
    public bool Tls { get; init; }
    public string? UserName { get; init; }
    public bool Reachable { get; init; }
    public string? Leader { get; init; }
    /// <summary>Every member of the cluster (names), as the cluster lists them.</summary>
    public IReadOnlyList<string> Members { get; init; } = Array.Empty<string>();
    public IReadOnlyList<StoreEndpointStatus> EndpointStatus { get; init; } = Array.Empty<StoreEndpointStatus>();
    public string SettingsFile { get; init; } = "";
}

/// <summary>
/// Setting, clearing and showing this host's cluster store: the work behind Set-, Get- and
/// Remove-VNetStore. Everything is checked (URLs, files, the address) before anything is written.
/// </summary>
public static class StoreConfiguration
{
    public static string PasswordFilePath => Path.Combine(StateRoots.Config, "store.password");

    /// <summary>The settings <paramref name="spec"/> makes, validated, without writing them (for -WhatIf and for <see cref="Save"/>).</summary>
    public static StoreSettings Build(StoreSpec spec)
    {
        if (spec.Endpoints.Length == 0)
            throw Messages.Error("InvalidStoreEndpoint", VNetErrorCategory.InvalidArgument, "", "");
        var uris = spec.Endpoints.Select(EtcdConnection.ValidateEndpoint).ToList();
        if (uris.Select(u => u.Scheme).Distinct().Count() > 1)
            throw Messages.Error("StoreEndpointsMixed", VNetErrorCategory.InvalidArgument, string.Join(", ", spec.Endpoints), string.Join(", ", spec.Endpoints));
        foreach (var (what, file) in new[] { ("certificate authority", spec.CaFile), ("certificate", spec.CertFile), ("key", spec.KeyFile) })
            if (file != null && !File.Exists(file))
                throw Messages.Error("StoreFileNotFound", VNetErrorCategory.ObjectNotFound, file, what, file);
        if ((spec.CertFile == null) != (spec.KeyFile == null))
            throw Messages.Error("StoreFileNotFound", VNetErrorCategory.InvalidArgument, spec.CertFile ?? spec.KeyFile, spec.CertFile == null ? "certificate" : "key", "(not given)");
        var tlsFiles = new[] { spec.CaFile, spec.CertFile, spec.KeyFile }.Where(f => f != null).ToList();
        if (tlsFiles.Count > 0 && uris[0].Scheme != "https")
            throw Messages.Error("StoreTlsNeedsHttps", VNetErrorCategory.InvalidArgument, string.Join(", ", spec.Endpoints), string.Join(", ", tlsFiles), string.Join(", ", spec.Endpoints));
        // Read now, so a file that is no PEM certificate (or a key of another certificate) is refused here rather than at the first Connect.
        if (spec.CaFile != null) foreach (var c in EtcdConnection.LoadCa(spec.CaFile)) c.Dispose();
        if (spec.CertFile != null && spec.KeyFile != null) EtcdConnection.LoadClientCertificate(spec.CertFile, spec.KeyFile).Dispose();
        if (spec.AdvertiseAddress != null) Validation.Address(spec.AdvertiseAddress, "AdvertiseAddress");

        var old = Existing();
        return new StoreSettings
        {
            Endpoints = uris.Select(u => u.GetLeftPart(UriPartial.Authority)).ToList(),
            AdvertiseAddress = spec.AdvertiseAddress,
            // Kept across Set-VNetStore: the id names this host's endpoints and VTEP MAC in the store.
            HostId = string.IsNullOrEmpty(old?.HostId) ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant() : old.HostId,
            HostName = spec.HostName ?? (string.IsNullOrEmpty(old?.HostName) ? Environment.MachineName : old.HostName),
            CaFile = spec.CaFile != null ? Path.GetFullPath(spec.CaFile) : null,
            CertFile = spec.CertFile != null ? Path.GetFullPath(spec.CertFile) : null,
            KeyFile = spec.KeyFile != null ? Path.GetFullPath(spec.KeyFile) : null,
            UserName = spec.UserName,
            PasswordFile = spec.UserName != null ? PasswordFilePath : null,
        };
    }

    /// <summary>Writes the settings (and the password, mode 0600, before the settings that name it).</summary>
    public static StoreSettings Save(StoreSpec spec)
    {
        var s = Build(spec);
        Directory.CreateDirectory(StateRoots.Config);
        if (spec.Password != null)
        {
            string tmp = PasswordFilePath + ".tmp";
            File.Delete(tmp);
            // Made 0600 before the password is written into it, so it is never readable by others.
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                f.Write(System.Text.Encoding.UTF8.GetBytes(spec.Password));
            }
            File.Move(tmp, PasswordFilePath, overwrite: true);
        }
        else if (spec.UserName == null) File.Delete(PasswordFilePath);
        s.Save();
        Agent.AgentClient.RestartIfRunning();
        return s;
    }

    /// <summary>Removes the setting (and the password file); false when none was set.</summary>
    public static bool Clear()
    {
        bool had = File.Exists(StoreSettings.FilePath);
        File.Delete(StoreSettings.FilePath);
        File.Delete(PasswordFilePath);
        if (had) Agent.AgentClient.RestartIfRunning();
        return had;
    }

    private static StoreSettings? Existing()
    {
        try { return StoreSettings.Load(); }
        catch (VNetException) { return null; } // a broken file is replaced
    }

    /// <summary>
    /// The source address the kernel picks to reach <paramref name="endpoint"/> (a connected UDP
    /// socket's local address: nothing is sent, the routing table of the calling thread's namespace
    /// is asked), or null with the reason when there is no route or no such host. The default of
    /// Set-VNetStore -AdvertiseAddress and of the overlay's VTEP address.
    /// </summary>
    public static IPAddress? SourceAddressFor(string endpoint, out string? reason)
    {
        reason = null;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var u))
        {
            reason = "it is not a URL";
            return null;
        }
        try
        {
            var target = IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) ? ip : System.Net.Dns.GetHostAddresses(u.Host).First();
            using var s = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(target, u.Port > 0 ? u.Port : 2379);
            return ((IPEndPoint)s.LocalEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>The settings and, per endpoint, whether it answers, which member it is and who leads.</summary>
    public static StoreStatus? Status()
    {
        var s = StoreSettings.Load();
        if (s == null) return null;
        var per = new List<StoreEndpointStatus>();
        var members = new List<string>();
        string? leader = null;
        foreach (var ep in s.Endpoints)
        {
            var one = new StoreSettings
            {
                Endpoints = new List<string> { ep }, HostId = s.HostId, CaFile = s.CaFile, CertFile = s.CertFile, KeyFile = s.KeyFile,
                UserName = s.UserName, PasswordFile = s.PasswordFile,
            };
            try
            {
                using var c = new EtcdConnection(one);
                var st = c.Call("read the member's status", (m, d) => c.Maintenance.Status(new StatusRequest(), m, d));
                var list = c.Call("list the members", (m, d) => c.Members.MemberList(new MemberListRequest(), m, d));
                var me = list.Members.FirstOrDefault(x => x.ID == st.Header.MemberId);
                var lead = list.Members.FirstOrDefault(x => x.ID == st.Leader);
                if (members.Count == 0) members.AddRange(list.Members.Select(x => x.Name).OrderBy(n => n, StringComparer.Ordinal));
                if (lead != null) leader ??= lead.Name;
                per.Add(new StoreEndpointStatus
                {
                    Endpoint = ep, Reachable = true, Member = me?.Name, Version = st.Version, IsLeader = st.Leader != 0 && st.Leader == st.Header.MemberId,
                });
            }
            catch (VNetException e)
            {
                // A TLS refusal in words (which side, which file); gRPC's own detail says only "SSL connection could not be established".
                per.Add(new StoreEndpointStatus
                {
                    Endpoint = ep, Reachable = false,
                    Error = e.ErrorId == "StoreTlsFailed" ? e.Message : (e.InnerException as Grpc.Core.RpcException)?.Status.Detail is { Length: > 0 } d ? d : e.ErrorId,
                });
            }
        }
        return new StoreStatus
        {
            Endpoints = s.Endpoints, HostName = s.HostName, HostId = s.HostId,
            AdvertiseAddress = s.AdvertiseAddress ?? SourceAddressFor(s.Endpoints[0], out _)?.ToString(), AdvertiseAddressSet = s.AdvertiseAddress != null,
            Tls = s.Endpoints[0].StartsWith("https://", StringComparison.OrdinalIgnoreCase), UserName = s.UserName,
            Reachable = per.Any(p => p.Reachable), Leader = leader, Members = members, EndpointStatus = per, SettingsFile = StoreSettings.FilePath,
        };
    }
}
