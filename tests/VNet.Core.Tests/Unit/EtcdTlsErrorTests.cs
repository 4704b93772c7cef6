using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using VNet.Core.Networks.Cluster;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// The shapes of a TLS refusal by etcd that the live test (Live/Etcd/EtcdTlsTests.cs) meets only by
/// chance of timing: the alert inside the failed HTTP/2 handshake. Built here as gRPC reports it.
/// Nothing is dialled but loopback: a server of the test's own, or a port nobody listens on. In
/// the networks collection: a connection takes its deadline from VNET_STORE_TIMEOUT, which a
/// test there sets for a moment.
/// </summary>
[Collection("networks")]
public sealed class EtcdTlsErrorTests
{
    private static RpcException Refused(Exception inner) =>
        new(new Status(StatusCode.Unavailable, "Error starting gRPC call.",
            new HttpRequestException(HttpRequestError.InvalidResponse, "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.", inner)));

    private static readonly Exception AlertInside =
        new IOException("The decryption operation failed, see inner exception.", new CryptographicException("error:0A000412:SSL routines::sslv3 alert bad certificate"));

    [Fact]
    public void An_alert_inside_the_http2_handshake_is_a_tls_failure_naming_the_missing_certificate()
    {
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { "https://192.0.2.11:2379" }, HostId = "u" });
        var e = c.Map(Refused(AlertInside), "read the cluster state");
        Assert.Equal("StoreTlsFailed", e.ErrorId);
        Assert.Contains("https://192.0.2.11:2379", e.Message);
        Assert.Contains("alert bad certificate", e.Message);
        Assert.Contains("-Certificate", e.Message);
    }

    [Fact]
    public void The_same_failure_over_plain_http_is_not_blamed_on_tls()
    {
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { "http://127.0.0.1:1" }, HostId = "u" });
        Assert.Equal("StoreUnavailable", c.Map(Refused(AlertInside), "read the cluster state").ErrorId);
    }

    [Fact]
    public void A_user_set_and_the_store_down_is_unavailable()
    {
        // Authenticating fails like the call would; its error must not ask a member's status,
        // which would authenticate again (this recursed until the stack overflowed).
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { "http://127.0.0.1:1" }, HostId = "u", UserName = "root" });
        var e = Assert.Throws<VNetException>(() => c.Call("read the cluster state",
            (auth, deadline) => c.Kv.Range(new Etcdserverpb.RangeRequest { Key = EtcdConnection.Key("x") }, auth, deadline)));
        Assert.Equal("StoreUnavailable", e.ErrorId);
        Assert.Contains("http://127.0.0.1:1", e.Message);
    }

    /// <summary>The fourth shape: the HTTP/2 preface's write reset by etcd, which had sent its alert and closed.</summary>
    private static readonly Exception ResetInside =
        new IOException("Unable to write data to the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset));

    /// <summary>
    /// A TLS server on loopback standing in for etcd: it completes the handshake, then either
    /// resets the connection at the client's first bytes (as etcd does to a certificate it
    /// refuses) or answers them with an HTTP/2 SETTINGS frame (as it does to one it takes).
    /// </summary>
    private static (TcpListener Listener, Task Served) Server(bool refuse)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var cert = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var ssl = new SslStream(client.GetStream());
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = cert, ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2 },
            });
            var buf = new byte[64];
            _ = await ssl.ReadAsync(buf);
            if (refuse)
            {
                client.Client.LingerState = new LingerOption(true, 0); // close with a reset
                client.Client.Close();
                return;
            }
            await ssl.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            await ssl.FlushAsync();
            _ = await ssl.ReadAsync(buf);
        });
        return (listener, served);
    }

    /// <summary>Another: the preface's write over OpenSSL's handle, already disposed when etcd's alert closed the stream.</summary>
    private static readonly Exception DisposedHandleInside =
        new IOException("The encryption operation failed, see inner exception.", new ObjectDisposedException("Microsoft.Win32.SafeHandles.SafeSslHandle"));

    /// <summary>A shape not seen yet: only the outside (HTTP/2 not completed) says the handshake was reached.</summary>
    private static readonly Exception UnknownInside = new IOException("Something new went wrong.");

    public static TheoryData<string, bool> Shapes => new()
    {
        { nameof(ResetInside), true }, { nameof(DisposedHandleInside), true }, { nameof(UnknownInside), true },
        { nameof(ResetInside), false }, { nameof(DisposedHandleInside), false }, { nameof(UnknownInside), false },
    };
    private static Exception Shape(string name) => name switch
    {
        nameof(ResetInside) => ResetInside,
        nameof(DisposedHandleInside) => DisposedHandleInside,
        _ => UnknownInside,
    };

    /// <summary>A write failing after the handshake is blamed on TLS when the probe is refused too, and not when it gets an answer.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_write_failing_after_the_handshake_is_a_tls_failure_only_when_the_probe_is_refused_too(string shape, bool refuse)
    {
        var (listener, served) = Server(refuse);
        using var _ = listener.Server;
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { $"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}" }, HostId = "u" });
        var e = c.Map(Refused(Shape(shape)), "read the cluster state");
        if (refuse)
        {
            Assert.Equal("StoreTlsFailed", e.ErrorId);
            Assert.Contains("-Certificate", e.Message);
        }
        else Assert.Equal("StoreUnavailable", e.ErrorId);
        served.Wait(TimeSpan.FromSeconds(10));
    }
}
