using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace VNet.Core.Networks.Cluster;

/// <summary>
/// One connection to the etcd cluster of <see cref="StoreSettings"/>: the dotnet-etcd client (its
/// channel balances over every endpoint, so a dead member is skipped), a short deadline on every
/// call, the authentication token, and the one place where gRPC failures become VNet errors.
/// Every call goes through <see cref="Call{T}"/>: nothing above this file sees an RpcException.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    /// <summary>$VNET_STORE_TIMEOUT: seconds one store call may take (default 3). Short: a Connect must fail fast, not hang, when the store is gone.</summary>
    public const string TimeoutEnv = "VNET_STORE_TIMEOUT";

    private readonly EtcdClient _client;
    private Metadata? _auth;
    private readonly object _authLock = new();
    /// <summary>
    /// Why this client last turned a server's certificate down, in words (set by the validation
    /// callback): .NET itself reports only "rejected by the provided RemoteCertificateValidationCallback".
    /// </summary>
    private volatile string? _serverCertProblem;
    private SslClientAuthenticationOptions? _tls;

    public EtcdConnection(StoreSettings settings)
    {
        Settings = settings;
        Timeout = TimeoutFromEnvironment();
        if (settings.Endpoints.Count == 0)
            throw new ArgumentException("The store settings name no endpoint.", nameof(settings));
        foreach (var e in settings.Endpoints) ValidateEndpoint(e);
        bool tls = settings.Endpoints[0].StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        string cs = string.Join(",", settings.Endpoints);
        _client = tls
            ? new EtcdClient(cs, ConfigureTls, 0, "", ConfigureChannel, null)
            : new EtcdClient(cs, 0, "", ConfigureChannel, null);
    }

    public StoreSettings Settings { get; }
    public TimeSpan Timeout { get; }
    public string EndpointList => string.Join(", ", Settings.Endpoints);
    internal KV.KVClient Kv => _client.GetConnection().KVClient;
    internal Lease.LeaseClient Leases => _client.GetConnection().LeaseClient;
    internal Watch.WatchClient Watches => _client.GetConnection().WatchClient;
    internal Etcdserverpb.Cluster.ClusterClient Members => _client.GetConnection().ClusterClient;
    internal Maintenance.MaintenanceClient Maintenance => _client.GetConnection().MaintenanceClient;

    /// <summary>The deadline $VNET_STORE_TIMEOUT sets: seconds above 0 and at most an hour (a larger or unreadable value, "1e309" included, is the default).</summary>
    public static TimeSpan TimeoutFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(TimeoutEnv), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 && s <= 3600
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(3);

    /// <summary>An etcd client URL: http or https, a host and a port. Checked before anything is written or dialled.</summary>
    public static Uri ValidateEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https")
            || string.IsNullOrEmpty(u.Host) || u.IsDefaultPort || (u.AbsolutePath != "/" && u.AbsolutePath != ""))
            throw Messages.Error("InvalidStoreEndpoint", VNetErrorCategory.InvalidArgument, endpoint, endpoint);
        return u;
    }

    /// <summary>The deadline of a call starting now.</summary>
    public DateTime Deadline() => DateTime.UtcNow + Timeout;

    /// <summary>
    /// Runs one call with the auth token and a fresh deadline; any gRPC failure becomes
    /// StoreUnavailable, StoreNoQuorum, StoreTimeout, StoreAccessDenied or StoreTlsFailed. <paramref name="what"/> says what was asked ("read network ov1").
    /// </summary>
    public T Call<T>(string what, Func<Metadata?, DateTime, T> call, bool idempotent = false)
    {
        try
        {
            return Once(call);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && (idempotent || NeverSent(e)))
        {
            // A read that met a member just going away, or an election in progress (a member killed
            // was the leader: "leader changed", "no leader" for the election timeout): again, with a
            // short backoff, on whichever member the balancer picks, until the call's own deadline.
            // Without quorum the election never ends and the last error is reported. Writes are not
            // retried here: one that did commit would then fail its compare; unless the connection
            // itself was refused (a member just killed, that the balancer has not yet dropped): then
            // nothing reached etcd and another member may take it.
            var until = DateTime.UtcNow + Timeout;
            var last = e;
            for (int wait = 50; DateTime.UtcNow + TimeSpan.FromMilliseconds(wait) < until; wait = Math.Min(wait * 2, 400))
            {
                if (!IsNoQuorum(last) && Settings.Endpoints.Count <= 1) break;
                Thread.Sleep(wait);
                try { return Once(call); }
                catch (RpcException e2) when (e2.StatusCode == StatusCode.Unavailable && (idempotent || NeverSent(e2))) { last = e2; }
                catch (RpcException e2) { throw Map(e2, what); }
            }
            throw Map(last, what);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && Settings.UserName != null)
        {
            // The token expired (etcd's simple tokens live 5 minutes): authenticate again, once.
            lock (_authLock) _auth = null;
            try { return Once(call); }
            catch (RpcException e2) { throw Map(e2, what); }
        }
        catch (RpcException e)
        {
            throw Map(e, what);
        }
    }

    /// <summary>
    /// One attempt with the token and a fresh deadline. The client sometimes reports its own
    /// deadline as a cancelled task rather than an RpcException (a CI run met it in a retry, where
    /// it escaped as a TaskCanceledException): made an RpcException here, so every attempt's
    /// failure is mapped.
    /// </summary>
    private T Once<T>(Func<Metadata?, DateTime, T> call)
    {
        try { return call(Auth(), Deadline()); }
        catch (OperationCanceledException e) { throw AsDeadline(e); }
    }

    /// <summary>The client's deadline reported as a cancelled task, as the RpcException it stands for.</summary>
    private static RpcException AsDeadline(OperationCanceledException e) => new(new Status(StatusCode.DeadlineExceeded, ""), e.Message);

    private Metadata? Auth()
    {
        if (Settings.UserName == null) return null;
        lock (_authLock)
        {
            if (_auth != null) return _auth;
            string password = "";
            if (Settings.PasswordFile != null)
            {
                try { password = File.ReadAllText(Settings.PasswordFile).TrimEnd('\r', '\n'); }
                catch (IOException e) { throw Messages.Error("StorePasswordUnreadable", VNetErrorCategory.PermissionDenied, Settings.PasswordFile, Settings.PasswordFile, e.Message); }
                catch (UnauthorizedAccessException e) { throw Messages.Error("StorePasswordUnreadable", VNetErrorCategory.PermissionDenied, Settings.PasswordFile, Settings.PasswordFile, e.Message); }
            }
            try
            {
                var r = _client.GetConnection().AuthClient.Authenticate(new AuthenticateRequest { Name = Settings.UserName, Password = password }, deadline: Deadline());
                _auth = new Metadata { { "token", r.Token } };
                return _auth;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && (e.Status.Detail ?? "").Contains("authentication is not enabled", StringComparison.Ordinal))
            {
                // A user set for a cluster that does not check users: etcd would refuse the token too.
                _auth = new Metadata();
                return _auth;
            }
            // Not a status call from here: it would authenticate in turn (the lock is re-entrant, the token still unset).
            catch (RpcException e) { throw Map(e, "authenticate as " + Settings.UserName, askStatus: false); }
            catch (OperationCanceledException e) { throw Map(AsDeadline(e), "authenticate as " + Settings.UserName, askStatus: false); }
        }
    }

    /// <summary>
    /// What a gRPC failure means to a user. etcd reports a member without a leader as Unavailable
    /// "etcdserver: no leader" (and a proposal that got no quorum as "request timed out"). Our own
    /// deadline passing is one of three things, told apart by a status call (served locally, without
    /// quorum): no member answers (unreachable), a member answers but knows no leader (no quorum:
    /// etcd's leader steps down, and followers campaign, an election timeout after losing the
    /// others), or a member answers with a leader (a slow store: a loaded host, a slow disk, a client
    /// whose threads are busy). Everything else is an unreachable store.
    /// </summary>
    internal VNetException Map(RpcException e, string what, bool askStatus = true)
    {
        string detail = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : $"{e.StatusCode}: {e.Status.Detail}";
        string text = e.Status.Detail ?? "";
        if (TlsProblem(e) is { } tls)
            return new VNetException("StoreTlsFailed", VNetErrorCategory.PermissionDenied,
                Messages.Format("StoreTlsFailed", EndpointList, what, tls), EndpointList, inner: e);
        // etcd says a wrong password with InvalidArgument, a missing user with "user name is empty".
        if (e.StatusCode == StatusCode.PermissionDenied || e.StatusCode == StatusCode.Unauthenticated
            || text.Contains("authentication failed", StringComparison.OrdinalIgnoreCase)
            || text.Contains("user name is empty", StringComparison.OrdinalIgnoreCase)
            || text.Contains("invalid auth token", StringComparison.OrdinalIgnoreCase))
            return new VNetException("StoreAccessDenied", VNetErrorCategory.PermissionDenied,
                Messages.Format("StoreAccessDenied", EndpointList, what, detail), EndpointList, inner: e);
        // A deadline passing (ours, or etcd's own "context deadline exceeded" with code Unknown, which
        // is how etcd 3.4 ends a linearizable read that never gets its read index) or an unreachable
        // member: ask whoever answers whether it knows a leader.
        bool deadline = e.StatusCode == StatusCode.DeadlineExceeded || text.Contains("context deadline exceeded", StringComparison.OrdinalIgnoreCase);
        bool noLeader = IsNoQuorum(e);
        var answering = askStatus && !noLeader && (deadline || e.StatusCode == StatusCode.Unavailable) ? MemberStatus() : null;
        if (noLeader || answering is { Leader: 0 })
            return new VNetException("StoreNoQuorum", VNetErrorCategory.ResourceBusy,
                Messages.Format("StoreNoQuorum", EndpointList, what, detail), EndpointList, inner: e);
        if (answering != null && deadline)
            return new VNetException("StoreTimeout", VNetErrorCategory.OperationTimeout,
                Messages.Format("StoreTimeout", EndpointList, what, Timeout.TotalSeconds, TimeoutEnv), EndpointList, inner: e);
        return new VNetException("StoreUnavailable", VNetErrorCategory.ResourceBusy,
            Messages.Format("StoreUnavailable", EndpointList, what, detail, Timeout.TotalSeconds), EndpointList, inner: e);
    }

    /// <summary>
    /// The TLS handshake's failure in words (which side refused, and which file to check), or null
    /// when <paramref name="e"/> is no TLS failure. Two shapes: this client turned the server's
    /// certificate down (SecureConnectionError; the callback said why), or etcd refused this
    /// client's certificate (or its absence), which .NET reports as "the server did not complete
    /// the HTTP/2 handshake" with etcd's alert inside, or over a disposed SslStream or an OpenSSL
    /// write error without it (all seen with etcd 3.4): then a probe handshake of our own reads the alert, so the
    /// message says what etcd said. The probe goes to the first endpoint: every member is meant
    /// to have the same TLS setup.
    /// </summary>
    private string? TlsProblem(RpcException e)
    {
        if (_tls == null) return null;
        var chain = new List<Exception>();
        for (Exception? x = e.Status.DebugException ?? e.InnerException; x != null && chain.Count < 10; x = x.InnerException) chain.Add(x);
        if (chain.Any(x => x is AuthenticationException || x is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }))
        {
            if (_serverCertProblem is { } why) return why;
            string? alert = ProbeAlert();
            return Messages.Format("StoreTlsHandshake", alert ?? string.Join(": ", chain.Select(x => x.Message)), ClientFiles());
        }
        // etcd's alert reaches this client in one of two ways, depending on who reads first: inside
        // the failed HTTP/2 handshake (a CryptographicException: "sslv3 alert bad certificate"),
        // or not at all (the SslStream was already disposed): then a probe of our own reads it.
        // A third shape, also seen: the HTTP/2 handshake's write failing with OpenSSL's own error
        // ("The encryption operation failed", an internal SslException inside): the probe reads it.
        // The same write may also fail over OpenSSL's handle already disposed (ObjectDisposedException
        // on SafeSslHandle, another CI run): the alert was read and the stream closed under the write.
        // A fourth (a CI run under load): that write failing with ECONNRESET, etcd having sent its
        // alert and closed before the preface went out. A reset can also be etcd going away, so
        // only the probe decides: it gets through (or cannot connect) when TLS was not the cause.
        var alertSeen = chain.LastOrDefault(x => x is CryptographicException);
        if (alertSeen != null
            || chain.Any(x => x is ObjectDisposedException { ObjectName: var n } && (n.EndsWith(nameof(SslStream), StringComparison.Ordinal) || n.EndsWith("SafeSslHandle", StringComparison.Ordinal)))
            || chain.Any(x => x.GetType().Name == "SslException")
            || chain.Any(x => x is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            // And whatever shape comes next: the server took the TCP connection and then did not
            // complete HTTP/2 (what every shape above says on the outside). The probe decides.
            || chain.Any(x => x is HttpRequestException && x.Message.Contains("did not complete the HTTP/2 handshake", StringComparison.Ordinal)))
        {
            string? alert = alertSeen?.Message.TrimEnd('.') ?? ProbeAlert();
            if (alert == null) return null; // the probe got through: not the handshake after all
            return Settings.CertFile == null
                ? Messages.Format("StoreTlsNoClientCertificate", alert)
                : Messages.Format("StoreTlsClientCertificateRefused", alert, Settings.CertFile);
        }
        return null;
    }

    private string ClientFiles() => Settings.CertFile == null ? "no client certificate" : $"client certificate {Settings.CertFile}, key {Settings.KeyFile}";

    /// <summary>
    /// One TLS handshake with this client's own settings to the first endpoint, then the HTTP/2
    /// preface and a read, within the call's deadline (a loaded host can take more than a second
    /// for the handshake, and then the alert is lost): the server's alert (e.g. "certificate required",
    /// "bad certificate") as the TLS library words it, or null when the server answered.
    /// </summary>
    private string? ProbeAlert()
    {
        var u = new Uri(Settings.Endpoints[0]);
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            using var tcp = new TcpClient();
            tcp.ConnectAsync(u.Host, u.Port, cts.Token).AsTask().GetAwaiter().GetResult();
            using var ssl = new SslStream(tcp.GetStream());
            var o = new SslClientAuthenticationOptions
            {
                TargetHost = u.Host, ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2 },
                ClientCertificates = _tls!.ClientCertificates, RemoteCertificateValidationCallback = (_, _, _, _) => true,
            };
            ssl.AuthenticateAsClientAsync(o, cts.Token).GetAwaiter().GetResult();
            // The client preface and an empty SETTINGS frame; a server that took the certificate answers with its SETTINGS.
            byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray().Concat(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }).ToArray();
            ssl.WriteAsync(preface, cts.Token).AsTask().GetAwaiter().GetResult();
            var buf = new byte[9];
            int n = ssl.ReadAsync(buf, cts.Token).AsTask().GetAwaiter().GetResult();
            return n > 0 ? null : "the server closed the connection after the handshake";
        }
        catch (Exception x) when (x is SocketException or OperationCanceledException)
        {
            return null; // not reached, or no verdict within the second: no evidence of a TLS refusal
        }
        catch (Exception x) when (x is IOException or AuthenticationException or ObjectDisposedException)
        {
            // The alert is in the innermost message (OpenSSL's "sslv3 alert bad certificate" for a
            // missing client certificate; a certificate of an unknown CA got "Connection reset by peer").
            var inner = x;
            while (inner.InnerException != null) inner = inner.InnerException;
            return inner.Message.TrimEnd('.');
        }
    }

    /// <summary>The call failed while connecting (refused, unreachable): no byte of the request reached etcd.</summary>
    private static bool NeverSent(RpcException e)
    {
        for (Exception? x = e.Status.DebugException ?? e.InnerException; x != null; x = x.InnerException)
            if (x is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
                || x is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                return true;
        return false;
    }

    private static bool IsNoQuorum(RpcException e)
    {
        string d = e.Status.Detail ?? "";
        return d.Contains("no leader", StringComparison.OrdinalIgnoreCase)
            || d.Contains("request timed out", StringComparison.OrdinalIgnoreCase)
            || d.Contains("leader changed", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The status of a member that answers (its own view: which leader it follows), or null when none
    /// answers within a second. Asked once per endpoint: the balancer may pick a dead member first
    /// (a refused connection fails at once), and the survivor of a lost quorum is the one to hear.
    /// </summary>
    private StatusResponse? MemberStatus()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        for (int i = 0; i < Settings.Endpoints.Count && DateTime.UtcNow < until; i++)
        {
            // With the token this client has, if any: never by authenticating, which fails the same way and would come back here.
            try { return Maintenance.Status(new StatusRequest(), Volatile.Read(ref _auth), until); }
            catch (Exception) { } // this one is unreachable: the next, or StoreUnavailable
        }
        return null;
    }

    /// <summary>etcd's key of a name under the store's prefix.</summary>
    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The end of a prefix range: the prefix with its last byte incremented (etcd's convention).</summary>
    public static ByteString PrefixEnd(string prefix)
    {
        var b = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (int i = b.Length - 1; i >= 0; i--)
        {
            if (b[i] < 0xff) { b[i]++; return ByteString.CopyFrom(b, 0, i + 1); }
        }
        return ByteString.CopyFrom(new byte[] { 0 });
    }

    /// <summary>
    /// Round robin over the members, and no automatic retries: a dead member is skipped by the
    /// balancer, and a store that is down as a whole must fail at once rather than be retried until
    /// the deadline (every caller has a deadline and an answer for failure already).
    /// </summary>
    private static void ConfigureChannel(Grpc.Net.Client.GrpcChannelOptions o)
    {
        o.ServiceConfig = new Grpc.Net.Client.Configuration.ServiceConfig
        {
            LoadBalancingConfigs = { new Grpc.Net.Client.Configuration.RoundRobinConfig() },
        };
        o.MaxRetryAttempts = 0;
    }

    private void ConfigureTls(SslClientAuthenticationOptions o)
    {
        _tls = o;
        if (Settings.CertFile != null && Settings.KeyFile != null)
            o.ClientCertificates = new X509CertificateCollection { LoadClientCertificate(Settings.CertFile, Settings.KeyFile) };
        var roots = Settings.CaFile != null ? LoadCa(Settings.CaFile) : null;
        // Every verdict is kept in words: a refusal then says which check failed and which file to look at.
        o.RemoteCertificateValidationCallback = (sender, cert, _, errors) =>
        {
            string host = (sender as SslStream)?.TargetHostName ?? "";
            if (cert == null)
                return Refuse(Messages.Format("StoreTlsNoServerCertificate", host));
            using var server = new X509Certificate2(cert);
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                return Refuse(Messages.Format("StoreTlsNameMismatch", host, Describe(server)));
            if (errors == SslPolicyErrors.None) return Accept();
            if (roots == null)
                return Refuse(Messages.Format("StoreTlsUntrustedSystem", host, Describe(server), errors));
            // The servers' certificates must chain to the given CA, not to the system's store.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(server)) return Accept();
            string status = string.Join(", ", chain.ChainStatus.Select(c => c.StatusInformation.Trim().TrimEnd('.')).Where(t => t.Length > 0).Distinct());
            return Refuse(Messages.Format("StoreTlsUntrustedCa", host, Describe(server), Settings.CaFile!, status));
        };
    }

    private bool Accept()
    {
        _serverCertProblem = null;
        return true;
    }

    private bool Refuse(string why)
    {
        _serverCertProblem = why;
        return false;
    }

    /// <summary>Subject, issuer and the names a certificate is good for: what a user compares with the endpoint and the CA.</summary>
    private static string Describe(X509Certificate2 c)
    {
        var san = c.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san == null ? new List<string>()
            : san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())).ToList();
        return $"subject '{c.Subject}', issuer '{c.Issuer}', names {(names.Count == 0 ? "(none)" : string.Join(", ", names))}";
    }

    /// <summary>The client certificate and its key; a file that is no PEM certificate, or a key that does not match, is the user's to fix, so it is named.</summary>
    public static X509Certificate2 LoadClientCertificate(string certFile, string keyFile)
    {
        try { return X509Certificate2.CreateFromPemFile(certFile, keyFile); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Messages.Error("StoreTlsFileInvalid", VNetErrorCategory.InvalidArgument, certFile, $"certificate '{certFile}' with key '{keyFile}'", e.Message.TrimEnd('.'));
        }
    }

    /// <summary>The CA bundle (one or more PEM certificates).</summary>
    public static X509Certificate2Collection LoadCa(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try { roots.ImportFromPemFile(caFile); }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Messages.Error("StoreTlsFileInvalid", VNetErrorCategory.InvalidArgument, caFile, $"certificate authority '{caFile}'", e.Message.TrimEnd('.'));
        }
        if (roots.Count == 0)
            throw Messages.Error("StoreTlsFileInvalid", VNetErrorCategory.InvalidArgument, caFile, $"certificate authority '{caFile}'", "it holds no PEM certificate");
        return roots;
    }

    public void Dispose() => _client.Dispose();
}
