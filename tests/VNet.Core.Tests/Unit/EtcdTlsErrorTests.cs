using System.Net.Http;
using System.Security.Cryptography;
using Grpc.Core;
using VNet.Core.Networks.Cluster;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// The shapes of a TLS refusal by etcd that the live test (Live/Etcd/EtcdTlsTests.cs) meets only by
/// chance of timing: the alert inside the failed HTTP/2 handshake. Built here as gRPC reports it.
/// Nothing is dialled: the connection is made but never used for a call.
/// </summary>
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
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { "http://192.0.2.11:2379" }, HostId = "u" });
        Assert.Equal("StoreUnavailable", c.Map(Refused(AlertInside), "read the cluster state").ErrorId);
    }
}
