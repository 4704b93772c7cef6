using System.Net;
using System.Net.Sockets;
using VNet.Core.Namespaces;
using VNet.Core.Native;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// The resolver's two sockets inside one member namespace: UDP and TCP on 127.0.0.11:53. They are
/// made on the core's namespace worker while it is inside the namespace, so they stay bound there
/// (a socket belongs to the namespace it was created in) while the agent's threads serve them from
/// its own namespace. Which listener a query came in on is how the resolver knows who asks.
/// Holding a socket keeps its namespace alive, so a listener is closed as soon as its namespace
/// leaves every network or disappears.
/// </summary>
public sealed class NamespaceListener : IDisposable
{
    /// <summary>The address Docker's embedded DNS made the convention: loopback, so no interface or route is needed.</summary>
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");
    public const int Port = 53;
    private const int IP_FREEBIND = 15;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NamespaceListener, byte[], bool, Task<byte[]?>> _handler;

    public ulong Inode { get; }
    /// <summary>The path the namespace was opened by (/run/netns/NAME, /proc/PID/ns/net, ...).</summary>
    public string Path { get; }

    private NamespaceListener(ulong inode, string path, Socket udp, Socket tcp, Func<NamespaceListener, byte[], bool, Task<byte[]?>> handler)
    {
        Inode = inode;
        Path = path;
        _udp = udp;
        _tcp = tcp;
        _handler = handler;
    }

    /// <summary>
    /// Opens the namespace at <paramref name="path"/> (it must still be the one with inode
    /// <paramref name="inode"/>: a name reused by a new namespace is not the member), binds both
    /// sockets inside it and starts serving. <paramref name="handler"/> gets the query and whether
    /// it came over TCP, and returns the answer or null for none.
    /// </summary>
    public static NamespaceListener Open(string path, ulong inode, Func<NamespaceListener, byte[], bool, Task<byte[]?>> handler)
    {
        int fd = Sys.Open(path, Sys.O_RDONLY | Sys.O_CLOEXEC);
        try
        {
            var (_, actual) = Sys.FStat(fd);
            if (inode != 0 && actual != inode)
                throw new IOException($"{path} is now another namespace (inode {actual}, the member's was {inode})");
            var (udp, tcp) = NamespaceThread.Run(fd, () =>
            {
                var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                var t = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    foreach (var s in new[] { u, t })
                    {
                        // A restarted agent binds again at once (TCP TIME_WAIT), and a namespace whose lo
                        // is still down does not make the bind fail; the answers flow once lo is up.
                        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                        s.SetRawSocketOption((int)SocketOptionLevel.IP, IP_FREEBIND, BitConverter.GetBytes(1));
                        s.Bind(new IPEndPoint(Address, Port));
                    }
                    t.Listen(64);
                    return (u, t);
                }
                catch
                {
                    u.Dispose();
                    t.Dispose();
                    throw;
                }
            });
            var listener = new NamespaceListener(actual, path, udp, tcp, handler);
            new Thread(listener.ServeUdp, 256 * 1024) { IsBackground = true, Name = "VNet DNS " + path }.Start();
            _ = Task.Run(listener.ServeTcpAsync);
            return listener;
        }
        finally
        {
            Sys.Close(fd);
        }
    }

    /// <summary>
    /// UDP, where nearly every query comes, is served by a thread of its own blocked in receive: a
    /// local name is answered on that thread at once, with no hand-off through the thread pool (on
    /// a busy two-core machine the hand-off alone cost more than the 1 ms target at p99). Only a
    /// forwarded query continues asynchronously, so a slow upstream never holds the next one up.
    /// The poll's timeout bounds how long a closed listener's thread lingers.
    /// </summary>
    private void ServeUdp()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            EndPoint client = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                if (!_udp.Poll(200_000, SelectMode.SelectRead)) continue;
                n = _udp.ReceiveFrom(buffer, ref client);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { if (_stop.IsCancellationRequested) return; continue; }
            Task<byte[]?> answer;
            try { answer = _handler(this, buffer[..n], false); }
#pragma warning disable CA1031 // one bad query or a store mid-change must not end the resolver of a namespace: the client retries
            catch (Exception) { continue; }
#pragma warning restore CA1031
            if (!answer.IsCompletedSuccessfully) { _ = ReplyLater(answer, client); continue; }
            if (answer.Result == null) continue;
            try { _udp.SendTo(answer.Result, client); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { }
        }
    }

    private async Task ReplyLater(Task<byte[]?> answer, EndPoint client)
    {
        try { await Reply(await answer.ConfigureAwait(false), client).ConfigureAwait(false); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private async Task Reply(byte[]? answer, EndPoint client)
    {
        if (answer == null) return;
        try { await _udp.SendToAsync(answer, SocketFlags.None, client, _stop.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket c;
            try { c = await _tcp.AcceptAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { if (_stop.IsCancellationRequested) return; continue; }
            _ = ServeConnectionAsync(c);
        }
    }

    private async Task ServeConnectionAsync(Socket c)
    {
        using (c)
        {
            try
            {
                // A client may send several queries on one connection; an idle one is closed.
                while (true)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    idle.CancelAfter(TimeSpan.FromSeconds(10));
                    var query = await TcpFraming.ReadMessageAsync(c, idle.Token).ConfigureAwait(false);
                    if (query == null) return;
                    var answer = await _handler(this, query, true).ConfigureAwait(false);
                    if (answer == null) return;
                    await TcpFraming.WriteMessageAsync(c, answer, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
    }
}
