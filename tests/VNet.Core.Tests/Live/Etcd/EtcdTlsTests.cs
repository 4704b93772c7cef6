using System.Diagnostics;
using VNet.Core.Networks;
using VNet.Core.Networks.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace VNet.Core.Tests.Live.Etcd;

/// <summary>
/// The cluster store over TLS with client certificates (#11), as etcd deployments run it: etcd with
/// --client-cert-auth on https, a CA made for the test. The right CA and certificate work; every
/// wrong setting fails fast with an error that names the TLS problem, the file to check and the endpoint.
/// </summary>
[Collection("networks")]
public sealed class EtcdTlsTests : LiveTest, IClassFixture<EtcdTlsTests.TlsEtcd>
{
    /// <summary>One TLS etcd for the class, started by the first test that runs (none when they skip outside the sandbox), killed after the last.</summary>
    public sealed class TlsEtcd : IDisposable
    {
        private readonly Lazy<EtcdTestCluster> _c = new(() => new EtcdTestCluster(tls: true));
        public EtcdTestCluster Cluster => _c.Value;
        public void Dispose() { if (_c.IsValueCreated) _c.Value.Dispose(); }
    }

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vnet-et-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ITestOutputHelper _out;
    private readonly TlsEtcd _etcd;

    public EtcdTlsTests(TlsEtcd etcd, ITestOutputHelper output) => (_etcd, _out) = (etcd, output);

    private EtcdTestCluster Tls() => _etcd.Cluster;

    public override void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        base.Dispose();
    }

    private static StoreSettings Settings(IEnumerable<string> endpoints, string? ca, string? cert, string? key) => new()
    {
        Endpoints = endpoints.ToList(), HostId = "tls", HostName = "tls", CaFile = ca, CertFile = cert, KeyFile = key,
    };

    /// <summary>A read through a store with these settings: the error it fails with, after how long.</summary>
    private (VNetException Error, TimeSpan Took) Refused(StoreSettings s)
    {
        var sw = Stopwatch.StartNew();
        using var store = new EtcdNetworkStore(s);
        var e = Assert.Throws<VNetException>(() => store.Snapshot());
        _out.WriteLine($"{e.ErrorId}: {e.Message}");
        return (e, sw.Elapsed);
    }

    [SkippableFact]
    public void The_right_ca_and_client_certificate_create_and_read_an_overlay_network_watch_and_keep_a_lease()
    {
        var c = Tls();
        var pki = c.Pki!;
        var s = Settings(c.Endpoints, pki.CaFile, pki.ClientCert, pki.ClientKey);
        using var store = new EtcdNetworkStore(s, new LocalNetworkStore(Path.Combine(_root, "state"), Path.Combine(_root, "run")));
        var svc = new NetworkService(Ctx, store);
        // The agent's two streams (a watch, a lease kept alive) over the same TLS channel.
        var changed = new ManualResetEventSlim();
        Exception? broken = null;
        using var watch = store.Watch(store.Snapshot().Revision, _ => changed.Set(), e => broken = e);
        using var reg = store.RegisterHost(new HostRecord { Id = "tls-host", Name = "tls-host", Underlay = "192.0.2.1" }, TimeSpan.FromSeconds(2));
        var net = svc.Create(new NetworkSpec { Name = P + "tls", Driver = "overlay", Subnet = new[] { "198.51.100.0/24" } });
        try
        {
            Assert.True(changed.Wait(TimeSpan.FromSeconds(10)), "no change reported over TLS: " + broken?.Message);
            Thread.Sleep(3000); // longer than the TTL: kept alive over TLS
            Assert.True(reg.Alive);
            Assert.Contains(store.Snapshot().Hosts, h => h.Id == "tls-host");
            Assert.Contains(store.Snapshot().Networks, n => n.Name == net.Name);
            // etcdctl over the same TLS sees what VNet wrote: it is the etcd, not a cache.
            var (code, keys) = c.Ctl("get", "--prefix", "--keys-only", EtcdNetworkStore.Prefix + "networks/");
            Assert.Equal(0, code);
            Assert.Contains(net.Name, keys);
        }
        finally { svc.Remove(net.Name, force: true); }
        Assert.DoesNotContain(store.ListNetworks(), n => n.Name == net.Name);
    }

    [SkippableFact]
    public void No_client_certificate_is_refused_by_etcd_naming_the_endpoint_and_the_certificate()
    {
        var c = Tls();
        var (e, took) = Refused(Settings(c.Endpoints, c.Pki!.CaFile, null, null));
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains(c.Endpoints[0], e.Message);
        Assert.Contains("client certificate", e.Message);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [SkippableFact]
    public void A_client_certificate_of_another_ca_is_refused_by_etcd_naming_the_certificate_file()
    {
        var c = Tls();
        var (e, _) = Refused(Settings(c.Endpoints, c.Pki!.CaFile, c.Pki.StrangerCert, c.Pki.StrangerKey));
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains(c.Endpoints[0], e.Message);
        Assert.Contains(c.Pki.StrangerCert, e.Message);
    }

    [SkippableFact]
    public void A_ca_that_did_not_sign_the_server_certificate_is_refused_naming_the_ca_file()
    {
        var c = Tls();
        var (e, took) = Refused(Settings(c.Endpoints, c.Pki!.OtherCaFile, c.Pki.ClientCert, c.Pki.ClientKey));
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains(c.Endpoints[0], e.Message);
        Assert.Contains(c.Pki.OtherCaFile, e.Message);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [SkippableFact]
    public void A_host_name_the_server_certificate_does_not_name_is_refused()
    {
        var c = Tls();
        // The certificate names IP 127.0.0.1 only; "localhost" reaches the same etcd under another name.
        string url = $"https://localhost:{c.ClientPorts[0]}";
        var (e, _) = Refused(Settings(new[] { url }, c.Pki!.CaFile, c.Pki.ClientCert, c.Pki.ClientKey));
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains(url, e.Message);
        Assert.Contains("localhost", e.Message);
    }

    [SkippableFact]
    public void Https_without_a_ca_file_checks_the_system_cas_and_says_to_give_the_ca()
    {
        var c = Tls();
        var (e, _) = Refused(Settings(c.Endpoints, null, c.Pki!.ClientCert, c.Pki.ClientKey));
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains(c.Endpoints[0], e.Message);
        Assert.Contains("-CertificateAuthority", e.Message);
    }

    [SkippableFact]
    public void A_key_of_another_certificate_or_a_ca_file_without_certificates_is_refused_naming_the_file()
    {
        var c = Tls();
        var pki = c.Pki!;
        var e1 = Assert.Throws<VNetException>(() =>
        {
            using var store = new EtcdNetworkStore(Settings(c.Endpoints, pki.CaFile, pki.ClientCert, pki.StrangerKey));
            store.Snapshot();
        });
        _out.WriteLine($"{e1.ErrorId}: {e1.Message}");
        Assert.Equal("StoreTlsFileInvalid", e1.ErrorId);
        Assert.Contains(pki.ClientCert, e1.Message);
        Assert.Contains(pki.StrangerKey, e1.Message);

        Directory.CreateDirectory(_root);
        string notPem = Path.Combine(_root, "ca.pem");
        File.WriteAllText(notPem, "not a certificate\n");
        var e2 = Assert.Throws<VNetException>(() =>
        {
            using var store = new EtcdNetworkStore(Settings(c.Endpoints, notPem, pki.ClientCert, pki.ClientKey));
            store.Snapshot();
        });
        _out.WriteLine($"{e2.ErrorId}: {e2.Message}");
        Assert.Equal("StoreTlsFileInvalid", e2.ErrorId);
        Assert.Contains(notPem, e2.Message);
    }

    [SkippableFact]
    public void Plain_http_to_a_tls_etcd_stays_unavailable_and_is_not_blamed_on_certificates()
    {
        var c = Tls();
        string url = $"http://127.0.0.1:{c.ClientPorts[0]}";
        var (e, _) = Refused(Settings(new[] { url }, null, null, null));
        Assert.Equal("StoreUnavailable", e.ErrorId);
        Assert.Contains(url, e.Message);
    }

    [SkippableFact]
    public void Set_VNetStore_checks_the_tls_files_before_writing_anything()
    {
        var c = Tls();
        var pki = c.Pki!;
        string old = Environment.GetEnvironmentVariable(StateRoots.ConfigEnv) ?? "";
        Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, Path.Combine(_root, "config"));
        try
        {
            StoreSpec Spec(string ep, string? ca, string? cert, string? key) => new() { Endpoints = new[] { ep }, CaFile = ca, CertFile = cert, KeyFile = key };
            string https = c.Endpoints[0], http = $"http://127.0.0.1:{c.ClientPorts[0]}";
            Assert.Equal("StoreFileNotFound", Assert.Throws<VNetException>(() => StoreConfiguration.Build(Spec(https, pki.CaFile, "/nonexistent/client.pem", pki.ClientKey))).ErrorId);
            Assert.Equal("StoreFileNotFound", Assert.Throws<VNetException>(() => StoreConfiguration.Build(Spec(https, pki.CaFile, pki.ClientCert, null))).ErrorId);
            Assert.Equal("StoreTlsNeedsHttps", Assert.Throws<VNetException>(() => StoreConfiguration.Build(Spec(http, pki.CaFile, pki.ClientCert, pki.ClientKey))).ErrorId);
            Assert.Equal("StoreTlsFileInvalid", Assert.Throws<VNetException>(() => StoreConfiguration.Build(Spec(https, pki.CaFile, pki.ClientCert, pki.StrangerKey))).ErrorId);

            // The right files: saved (without Save's restart of an agent: none is this test's), and
            // Get-VNetStore's status reaches the member over TLS.
            StoreConfiguration.Build(Spec(https, pki.CaFile, pki.ClientCert, pki.ClientKey)).Save();
            var st = StoreConfiguration.Status()!;
            Assert.True(st.Tls);
            Assert.True(st.Reachable, st.EndpointStatus[0].Error);
            // And a wrong CA shows in the status as the TLS problem, not as a bare "unreachable".
            StoreConfiguration.Build(Spec(https, pki.OtherCaFile, pki.ClientCert, pki.ClientKey)).Save();
            var bad = StoreConfiguration.Status()!;
            Assert.False(bad.Reachable);
            Assert.Contains(pki.OtherCaFile, bad.EndpointStatus[0].Error);
        }
        finally { Environment.SetEnvironmentVariable(StateRoots.ConfigEnv, old == "" ? null : old); }
    }
}
