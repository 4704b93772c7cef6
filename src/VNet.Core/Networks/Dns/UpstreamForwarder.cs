using System.Net;
using System.Net.Sockets;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// Sends a query the members' names do not cover to the host's own resolvers and relays the answer
/// as it came. Its sockets are opened on ordinary threads, so in the agent's own namespace (the
/// host's): the host's resolvers, 127.0.0.53 included, are reachable from there even when a member
/// namespace has no route out at all.
/// The upstreams are, first found: $VNET_DNS_UPSTREAM (comma-separated ADDRESS, ADDRESS:PORT or
/// [V6]:PORT), the host setting {config root}/dns-upstream (/etc/vnet/dns-upstream: the same list,
/// one or more per line; a running agent picks a change up at the next query, which is how tests
/// point it at a server they run), else the nameservers of /etc/resolv.conf. Files are re-read
/// when they change.
/// </summary>
public sealed class UpstreamForwarder
{
    public const string UpstreamEnv = "VNET_DNS_UPSTREAM";
    public static string SettingFile => Path.Combine(StateRoots.Config, "dns-upstream");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly string _resolvConf;
    private IReadOnlyList<IPEndPoint> _servers = Array.Empty<IPEndPoint>();
    private DateTime _resolvStamp = DateTime.MinValue;
    private IReadOnlyList<IPEndPoint> _setting = Array.Empty<IPEndPoint>();
    private DateTime _settingStamp = DateTime.MinValue;
    private readonly string? _fixed;

    public UpstreamForwarder(string resolvConf = "/etc/resolv.conf")
    {
        _resolvConf = resolvConf;
        _fixed = Environment.GetEnvironmentVariable(UpstreamEnv);
        if (!string.IsNullOrWhiteSpace(_fixed)) _servers = ParseList(_fixed);
    }

    /// <summary>Where queries go now.</summary>
    public IReadOnlyList<IPEndPoint> Servers
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(_fixed)) return _servers;
            DateTime settingStamp = File.Exists(SettingFile) ? File.GetLastWriteTimeUtc(SettingFile) : DateTime.MinValue;
            if (settingStamp != _settingStamp)
            {
                try { _setting = settingStamp == DateTime.MinValue ? Array.Empty<IPEndPoint>() : ParseList(File.ReadAllText(SettingFile).Replace('\n', ',')); }
                catch (IOException) { _setting = Array.Empty<IPEndPoint>(); }
                _settingStamp = settingStamp;
            }
            if (_setting.Count > 0) return _setting;
            DateTime stamp;
            try { stamp = File.GetLastWriteTimeUtc(_resolvConf); } catch (IOException) { return _servers; }
            if (stamp != _resolvStamp)
            {
                _servers = ReadResolvConf(_resolvConf);
                _resolvStamp = stamp;
            }
            return _servers;
        }
    }

    internal static IReadOnlyList<IPEndPoint> ParseList(string text)
    {
        var list = new List<IPEndPoint>();
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPEndPoint.TryParse(item, out var ep))
            {
                if (ep.Port == 0) ep.Port = 53;
                list.Add(ep);
            }
        }
        return list;
    }

    internal static IReadOnlyList<IPEndPoint> ReadResolvConf(string path)
    {
        var list = new List<IPEndPoint>();
        string[] lines;
        try { lines = File.ReadAllLines(path); } catch (IOException) { return list; } catch (UnauthorizedAccessException) { return list; }
        foreach (var line in lines)
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0] != "nameserver") continue;
            // A zone suffix (fe80::1%eth0) stays; IPAddress parses it.
            if (!IPAddress.TryParse(parts[1], out var a)) continue;
            // Our own address would send a query round in a circle.
            if (a.Equals(NamespaceListener.Address)) continue;
            list.Add(new IPEndPoint(a, 53));
        }
        return list;
    }

    /// <summary>The upstream's answer over UDP, or null when no upstream answered in time.</summary>
    public Task<byte[]?> ForwardUdpAsync(byte[] query, CancellationToken cancel) =>
        FirstAnswerAsync(SocketType.Dgram, ProtocolType.Udp, cancel, async (s, token) =>
        {
            await s.SendAsync(query, SocketFlags.None, token).ConfigureAwait(false);
            var buffer = new byte[65535];
            while (true)
            {
                int n = await s.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                // Only the answer to this query (same id) is relayed; anything else is dropped.
                if (n >= 2 && buffer[0] == query[0] && buffer[1] == query[1]) return buffer[..n];
            }
        });

    /// <summary>The upstream's answer over TCP (for a client that asked over TCP, or a truncated UDP answer).</summary>
    public Task<byte[]?> ForwardTcpAsync(byte[] query, CancellationToken cancel) =>
        FirstAnswerAsync(SocketType.Stream, ProtocolType.Tcp, cancel, async (s, token) =>
        {
            await TcpFraming.WriteMessageAsync(s, query, token).ConfigureAwait(false);
            return await TcpFraming.ReadMessageAsync(s, token).ConfigureAwait(false);
        });

    /// <summary>
    /// Asks the upstreams in turn, each on a socket of its own within <see cref="Timeout"/>: the
    /// first answer, or null when none gave one (one that times out or refuses, the next is tried).
    /// </summary>
    private async Task<byte[]?> FirstAnswerAsync(SocketType type, ProtocolType protocol, CancellationToken cancel,
        Func<Socket, CancellationToken, Task<byte[]?>> exchange)
    {
        foreach (var server in Servers)
        {
            using var s = new Socket(server.AddressFamily, type, protocol);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(Timeout);
            try
            {
                await s.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
                if (await exchange(s, timeout.Token).ConfigureAwait(false) is { } answer) return answer;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { } // try the next one
            catch (SocketException) { }
        }
        return null;
    }
}
