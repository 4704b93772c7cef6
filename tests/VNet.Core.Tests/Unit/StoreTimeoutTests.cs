using Grpc.Core;
using VNet.Core.Networks.Cluster;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// $VNET_STORE_TIMEOUT as a user may write it. In the networks collection: it changes an
/// environment variable that the etcd tests read.
/// </summary>
[Collection("networks")]
public sealed class StoreTimeoutTests
{
    [Theory]
    [InlineData(null, 3)]
    [InlineData("10", 10)]
    [InlineData("0.5", 0.5)]
    [InlineData("0", 3)]
    [InlineData("-1", 3)]
    [InlineData("ten", 3)]
    [InlineData("NaN", 3)]
    [InlineData("1e309", 3)] // infinity: TimeSpan.FromSeconds would throw
    [InlineData("86400", 3)] // a day: longer than any call should hang
    public void The_deadline_is_what_was_set_when_it_makes_sense_else_three_seconds(string? value, double seconds)
    {
        string? old = Environment.GetEnvironmentVariable(EtcdConnection.TimeoutEnv);
        Environment.SetEnvironmentVariable(EtcdConnection.TimeoutEnv, value);
        try { Assert.Equal(TimeSpan.FromSeconds(seconds), EtcdConnection.TimeoutFromEnvironment()); }
        finally { Environment.SetEnvironmentVariable(EtcdConnection.TimeoutEnv, old); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_deadline_the_client_reports_as_a_cancelled_task_is_a_store_error_on_any_attempt(bool inRetry)
    {
        // Nothing is dialled but a loopback port nobody listens on (the member-status question).
        using var c = new EtcdConnection(new StoreSettings { Endpoints = { "http://127.0.0.1:1", "http://127.0.0.1:3" }, HostId = "u" });
        int attempts = 0;
        var e = Assert.Throws<VNetException>(() => c.Call<int>("read the cluster state", (_, _) =>
        {
            // The first attempt meets an election (retried: a read), a later one the client's own deadline.
            if (inRetry && attempts++ == 0) throw new RpcException(new Status(StatusCode.Unavailable, "etcdserver: leader changed"));
            throw new TaskCanceledException("The operation was canceled.");
        }, idempotent: true));
        Assert.Equal("StoreUnavailable", e.ErrorId);
        Assert.Contains("read the cluster state", e.Message);
    }
}
