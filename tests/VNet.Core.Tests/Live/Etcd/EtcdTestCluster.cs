using System.Diagnostics;
using System.Net.Sockets;

namespace VNet.Core.Tests.Live.Etcd;

/// <summary>
/// 1 or 3 real etcd members on 127.0.0.1 (distinct ports per cluster, data under a temp dir),
/// killed at Dispose. Inside tests/sandbox.sh they also die with the sandbox's PID namespace.
/// With <c>tls</c>, clients speak https and must show a certificate of <see cref="Pki"/>'s CA
/// (--client-cert-auth), as a production etcd is run; the peers stay on http (not what is tested).
/// </summary>
public sealed class EtcdTestCluster : IDisposable
{
    private static int _next;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vnet-etcd-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Process?[] _members;
    private readonly int[] _client, _peer;
    private readonly string _initial;

    public EtcdTestCluster(int members = 1, bool tls = false)
    {
        // Ports unique per cluster in this process (tests of several classes may run side by side).
        int basePort = 23000 + (Interlocked.Increment(ref _next) % 200) * 10 + (Environment.ProcessId % 7) * 2000;
        _members = new Process?[members];
        _client = Enumerable.Range(0, members).Select(i => basePort + 2 * i).ToArray();
        _peer = Enumerable.Range(0, members).Select(i => basePort + 2 * i + 1).ToArray();
        _initial = string.Join(",", Enumerable.Range(0, members).Select(i => $"m{i}=http://127.0.0.1:{_peer[i]}"));
        Directory.CreateDirectory(_dir);
        if (tls) Pki = new TestPki(Path.Combine(_dir, "pki"));
        for (int i = 0; i < members; i++) Start(i);
        WaitHealthy();
    }

    /// <summary>The CA and certificates when started with TLS; null otherwise.</summary>
    public TestPki? Pki { get; }

    private string Scheme => Pki != null ? "https" : "http";

    public IReadOnlyList<string> Endpoints => _client.Select(p => $"{Scheme}://127.0.0.1:{p}").ToList();

    /// <summary>The client ports (for URLs with another host name than the certificate's).</summary>
    public IReadOnlyList<int> ClientPorts => _client;

    public void Start(int i)
    {
        var psi = new ProcessStartInfo("etcd") { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        if (Pki != null)
            foreach (var a in new[] { "--cert-file", Pki.ServerCert, "--key-file", Pki.ServerKey, "--trusted-ca-file", Pki.CaFile, "--client-cert-auth" })
                psi.ArgumentList.Add(a);
        foreach (var a in new[]
        {
            "--name", $"m{i}", "--data-dir", Path.Combine(_dir, $"m{i}"),
            "--listen-client-urls", $"{Scheme}://127.0.0.1:{_client[i]}", "--advertise-client-urls", $"{Scheme}://127.0.0.1:{_client[i]}",
            "--listen-peer-urls", $"http://127.0.0.1:{_peer[i]}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peer[i]}",
            "--initial-cluster", _initial, "--initial-cluster-state", "new", "--initial-cluster-token", Path.GetFileName(_dir),
            "--log-outputs", Path.Combine(_dir, $"m{i}.log"), "--logger", "zap",
        }) psi.ArgumentList.Add(a);
        _members[i] = Process.Start(psi);
    }

    /// <summary>kill -9 of one member.</summary>
    public void Kill(int i)
    {
        var p = _members[i];
        if (p == null) return;
        try { p.Kill(); p.WaitForExit(5000); } catch (InvalidOperationException) { }
        p.Dispose();
        _members[i] = null;
    }

    /// <summary>etcdctl against every live member (ETCDCTL_API=3).</summary>
    public (int Code, string Out) Ctl(params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ETCDCTL_API"] = "3";
        psi.ArgumentList.Add("--endpoints=" + string.Join(",", Enumerable.Range(0, _members.Length).Where(i => _members[i] != null).Select(i => Endpoints[i])));
        psi.ArgumentList.Add("--command-timeout=5s");
        if (Pki != null)
            foreach (var a in new[] { "--cacert=" + Pki.CaFile, "--cert=" + Pki.ClientCert, "--key=" + Pki.ClientKey })
                psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    private void WaitHealthy()
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Ctl("endpoint", "health").Code == 0 && Ctl("put", "/probe", "x").Code == 0) return;
            Thread.Sleep(200);
        }
        throw new InvalidOperationException("etcd did not become healthy: " + string.Join("\n", Directory.GetFiles(_dir, "*.log").Select(f => File.ReadAllText(f)[^Math.Min(2000, File.ReadAllText(f).Length)..])));
    }

    public void Dispose()
    {
        for (int i = 0; i < _members.Length; i++) Kill(i);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
