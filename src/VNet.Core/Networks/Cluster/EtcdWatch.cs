using Etcdserverpb;
using Grpc.Core;

namespace VNet.Core.Networks.Cluster;

/// <summary>
/// A watch of the store's prefix from a revision, on etcd's Watch stream. It ends for good (and
/// says so once through onBroken) when etcd compacted past the revision, cancels the watch, or the
/// stream breaks: the agent then takes a fresh snapshot and watches again from its revision, which
/// is simpler and safer than resuming a stream that may have missed events.
/// </summary>
internal sealed class EtcdWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _brokenOnce;

    public EtcdWatch(EtcdConnection c, string prefix, long afterRevision, Action<long> onChange, Action<Exception> onBroken)
    {
        var call = c.Watches.Watch(headers: null, cancellationToken: _stop.Token);
        _ = Task.Run(async () =>
        {
            try
            {
                await call.RequestStream.WriteAsync(new WatchRequest
                {
                    CreateRequest = new WatchCreateRequest
                    {
                        Key = EtcdConnection.Key(prefix), RangeEnd = EtcdConnection.PrefixEnd(prefix), StartRevision = afterRevision + 1,
                    },
                }).ConfigureAwait(false);
                while (await call.ResponseStream.MoveNext(_stop.Token).ConfigureAwait(false))
                {
                    var r = call.ResponseStream.Current;
                    if (r.CompactRevision != 0)
                    {
                        Broken(onBroken, new InvalidOperationException($"The store compacted its history past revision {afterRevision + 1} (to {r.CompactRevision}); read a fresh snapshot."));
                        return;
                    }
                    if (r.Canceled)
                    {
                        Broken(onBroken, new InvalidOperationException("The store cancelled the watch: " + r.CancelReason));
                        return;
                    }
                    if (r.Events.Count > 0) onChange(r.Header.Revision);
                }
                if (!_stop.IsCancellationRequested) Broken(onBroken, new InvalidOperationException("The store closed the watch."));
            }
            catch (RpcException e) when (!_stop.IsCancellationRequested)
            {
                Broken(onBroken, c.Map(e, "watch " + prefix));
            }
            // Cancelled by Dispose. A cancellation that is not ours (the client's own) breaks the
            // watch like any other failure below: ending quietly would leave the agent deaf.
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
            catch (RpcException) { } // cancelled by Dispose
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                Broken(onBroken, e);
            }
            finally
            {
                call.Dispose();
            }
        });
    }

    private void Broken(Action<Exception> onBroken, Exception e)
    {
        if (Interlocked.Exchange(ref _brokenOnce, 1) == 0) onBroken(e);
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _brokenOnce, 1);
        _stop.Cancel();
    }
}

/// <summary>
/// A host's lease, kept alive on etcd's keep-alive stream every third of the TTL. When this
/// process dies the keep-alives stop and etcd deletes the host's key when the TTL runs out.
/// </summary>
internal sealed class EtcdHostRegistration : IHostRegistration
{
    private readonly EtcdConnection _c;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _lastOk = Environment.TickCount64;
    private volatile bool _expired;

    public EtcdHostRegistration(EtcdConnection c, long leaseId, TimeSpan ttl)
    {
        _c = c;
        LeaseId = leaseId;
        Ttl = ttl;
        _thread = new Thread(KeepAlive) { IsBackground = true, Name = "vnet-store-keepalive" };
        _thread.Start();
    }

    public long LeaseId { get; }
    public TimeSpan Ttl { get; }
    /// <summary>Why the last keep-alive failed (for diagnostics), or null.</summary>
    public Exception? LastError { get; private set; }
    public bool Alive => !_expired && Environment.TickCount64 - Interlocked.Read(ref _lastOk) < (long)Ttl.TotalMilliseconds;

    private void KeepAlive()
    {
        var every = TimeSpan.FromMilliseconds(Math.Max(300, Ttl.TotalMilliseconds / 3));
        while (!_stop.IsCancellationRequested && !_expired)
        {
            try
            {
                using var call = _c.Leases.LeaseKeepAlive(cancellationToken: _stop.Token);
                while (!_stop.IsCancellationRequested)
                {
                    call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = LeaseId }).Wait(_stop.Token);
                    using var answer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    answer.CancelAfter(_c.Timeout);
                    if (!call.ResponseStream.MoveNext(answer.Token).GetAwaiter().GetResult()) break;
                    if (call.ResponseStream.Current.TTL <= 0) { _expired = true; return; } // etcd forgot the lease: register again
                    Interlocked.Exchange(ref _lastOk, Environment.TickCount64);
                    _stop.Token.WaitHandle.WaitOne(every);
                }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                LastError = e;
                // The store is unreachable for now: try again shortly; Alive turns false after the TTL.
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            }
            catch (Exception) { return; }
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(2));
        // Revoked at once, so the other hosts drop this one now rather than after the TTL.
        try { _c.Call("revoke the host's lease", (m, d) => _c.Leases.LeaseRevoke(new LeaseRevokeRequest { ID = LeaseId }, m, d)); }
        catch (VNetException) { }
    }
}
