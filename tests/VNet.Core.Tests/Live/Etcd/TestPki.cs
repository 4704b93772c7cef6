using System.Diagnostics;

namespace VNet.Core.Tests.Live.Etcd;

/// <summary>
/// A throwaway PKI made with /usr/bin/openssl under a folder of the test: the CA that signs etcd's
/// server certificate (subjectAltName IP:127.0.0.1 only, so "localhost" is a name mismatch) and the
/// client's certificate, plus a second CA that signed nothing etcd shows and a client certificate
/// of that second CA (etcd must refuse it). EC P-256 keys: quick to make, read by Go and .NET alike.
/// </summary>
public sealed class TestPki
{
    public TestPki(string dir)
    {
        Dir = dir;
        Directory.CreateDirectory(dir);
        MakeCa("ca", "vnet-test-ca");
        MakeCa("other-ca", "vnet-test-other-ca");
        MakeLeaf("server", "ca", "etcd-test-server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        MakeLeaf("client", "ca", "vnet-test-client", "extendedKeyUsage=clientAuth\n");
        MakeLeaf("stranger", "other-ca", "vnet-test-stranger", "extendedKeyUsage=clientAuth\n");
    }

    public string Dir { get; }
    public string CaFile => F("ca.pem");
    public string ServerCert => F("server.pem");
    public string ServerKey => F("server.key");
    public string ClientCert => F("client.pem");
    public string ClientKey => F("client.key");
    /// <summary>A CA that did not sign the server's certificate.</summary>
    public string OtherCaFile => F("other-ca.pem");
    /// <summary>A client certificate signed by the other CA, which etcd does not trust.</summary>
    public string StrangerCert => F("stranger.pem");
    public string StrangerKey => F("stranger.key");

    private string F(string name) => Path.Combine(Dir, name);

    private void MakeCa(string name, string cn) =>
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", F(name + ".key"), "-out", F(name + ".pem"), "-days", "2", "-subj", "/CN=" + cn);

    private void MakeLeaf(string name, string ca, string cn, string extensions)
    {
        File.WriteAllText(F(name + ".ext"), extensions);
        OpenSsl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", F(name + ".key"), "-out", F(name + ".csr"), "-subj", "/CN=" + cn);
        OpenSsl("x509", "-req", "-in", F(name + ".csr"), "-CA", F(ca + ".pem"), "-CAkey", F(ca + ".key"),
            "-CAcreateserial", "-out", F(name + ".pem"), "-days", "2", "-extfile", F(name + ".ext"));
    }

    private static void OpenSsl(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)}: {o}");
    }
}
