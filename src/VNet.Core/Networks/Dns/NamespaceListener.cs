using System.Net;
using System.Net.Sockets;
using VNet.Core.Namespaces;
using VNet.Core.Native;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// The resolver's sockets inside one member namespace: UDP and TCP on 127.0.0.11:53 (and on
/// [::1]:53, where IPv6 queries are redirected, when the namespace has IPv6). They are
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

    /// <summary>The IPv6 twin of <see cref="Address"/>: where queries to an IPv6 resolver are redirected.</summary>
    public static readonly IPAddress Address6 = IPAddress.IPv6Loopback;

    /// <summary>UDP and TCP on 127.0.0.11, and on [::1] where the namespace has IPv6.</summary>
    private readonly List<(Socket Udp, Socket Tcp)> _sockets;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NamespaceListener, byte[], bool, Task<byte[]?>> _handler;

    public ulong Inode { get; }
    /// <summary>The path the namespace was opened by (/run/netns/NAME, /proc/PID/ns/net, ...).</summary>
    public string Path { get; }

    private NamespaceListener(ulong inode, string path, List<(Socket Udp, Socket Tcp)> sockets, Func<NamespaceListener, byte[], bool, Task<byte[]?>> handler)
    {
        Inode = inode;
        Path = path;
        _sockets = sockets;
        _handler = handler;
    }

    /// <summary>A UDP and a TCP socket bound to ADDRESS:53 in the calling thread's namespace.</summary>
    private static (Socket Udp, Socket Tcp) Bind(IPAddress address)
    {
        var u = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var t = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            foreach (var s in new[] { u, t })
            {
                // A restarted agent binds again at once (TCP TIME_WAIT), and a namespace whose lo
                // is still down does not make the bind fail; the answers flow once lo is up.
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (address.AddressFamily == AddressFamily.InterNetwork)
                    s.SetRawSocketOption((int)SocketOptionLevel.IP, IP_FREEBIND, BitConverter.GetBytes(1));
                else
                    s.DualMode = false;
                s.Bind(new IPEndPoint(address, Port));
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
            var sockets = NamespaceThread.Run(fd, () =>
            {
                var list = new List<(Socket, Socket)> { Bind(Address) };
                // IPv6 is optional: a namespace with it disabled (or no ::1 on lo) is served on IPv4 alone.
                try { list.Add(Bind(Address6)); }
                catch (SocketException) { }
                return list;
            });
            var listener = new NamespaceListener(actual, path, sockets, handler);
            foreach (var (udp, tcp) in sockets)
            {
                new Thread(() => listener.ServeUdp(udp), 256 * 1024) { IsBackground = true, Name = "VNet DNS " + path }.Start();
                _ = Task.Run(() => listener.ServeTcpAsync(tcp));
            }
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
    /// The receive blocks without a timeout, so an idle listener costs no wake-ups; Dispose ends it
    /// (.NET shuts a socket down before closing it, which wakes a thread blocked in it, even on an
    /// unconnected UDP socket).
    /// </summary>
    private void ServeUdp(Socket udp)
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            EndPoint client = new IPEndPoint(udp.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int n;
            try
            {
                n = udp.ReceiveFrom(buffer, ref client);
            }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { if (_stop.IsCancellationRequested) return; continue; }
            Task<byte[]?> answer;
            try { answer = _handler(this, buffer[..n], false); }
#pragma warning disable CA1031 // one bad query or a store mid-change must not end the resolver of a namespace: the client retries
            catch (Exception) { continue; }
#pragma warning restore CA1031
            if (!answer.IsCompletedSuccessfully) { _ = ReplyLater(udp, answer, client); continue; }
            if (answer.Result == null) continue;
            try { udp.SendTo(answer.Result, client); }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { }
        }
    }

    private async Task ReplyLater(Socket udp, Task<byte[]?> answer, EndPoint client)
    {
        try { await Reply(udp, await answer.ConfigureAwait(false), client).ConfigureAwait(false); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private async Task Reply(Socket udp, byte[]? answer, EndPoint client)
    {
        if (answer == null) return;
        try { await udp.SendToAsync(answer, SocketFlags.None, client, _stop.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private async Task ServeTcpAsync(Socket tcp)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket c;
            try { c = await tcp.AcceptAsync(_stop.Token).ConfigureAwait(false); }
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
        foreach (var (udp, tcp) in _sockets)
        {
            udp.Dispose();
            tcp.Dispose();
        }
    }
}
