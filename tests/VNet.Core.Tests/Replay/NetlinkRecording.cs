using System.Text;
using VNet.Core.Netlink;

namespace VNet.Core.Tests.Replay;

/// <summary>
/// A recorded netlink conversation of one socket: what was sent and each datagram the kernel sent
/// back, in order. Stored as text (one line per datagram, "&gt; hex" sent, "&lt; hex" received,
/// "#" comments) so a diff of test data shows which bytes changed.
/// </summary>
public sealed class NetlinkRecording
{
    public List<(bool Sent, byte[] Data)> Entries { get; } = new();

    /// <summary>The socket of a protocol as the recordings' file names spell it.</summary>
    public static string ProtocolName(int protocol) => protocol switch
    {
        0 => "route",
        12 => "netfilter",
        _ => $"proto{protocol}",
    };

    /// <summary>The file of one socket of a scenario: name.route.nlrec, name.netfilter.nlrec.</summary>
    public static string FileName(string scenario, int protocol) => $"{scenario}.{ProtocolName(protocol)}.nlrec";

    public static NetlinkRecording Load(string path)
    {
        var rec = new NetlinkRecording();
        foreach (var raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.Length < 2 || (line[0] != '>' && line[0] != '<'))
                throw new InvalidDataException($"{path}: a line must start with '>', '<' or '#': {line}");
            rec.Entries.Add((line[0] == '>', Convert.FromHexString(line[1..].Trim())));
        }
        return rec;
    }

    public void Save(string path, string comment)
    {
        var sb = new StringBuilder();
        foreach (var c in comment.Split('\n')) sb.Append("# ").Append(c).Append('\n');
        foreach (var (sent, data) in Entries)
            sb.Append(sent ? "> " : "< ").Append(Convert.ToHexString(data).ToLowerInvariant()).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Every datagram the kernel sent.</summary>
    public IEnumerable<byte[]> Received => Entries.Where(e => !e.Sent).Select(e => e.Data);
}

/// <summary>Wraps a real connection and writes down every datagram in both directions.</summary>
internal sealed class RecordingConnection : INetlinkConnection
{
    private readonly INetlinkConnection _inner;

    public RecordingConnection(INetlinkConnection inner) => _inner = inner;

    public NetlinkRecording Recording { get; } = new();
    public uint PortId => _inner.PortId;

    public void Send(ReadOnlySpan<byte> request)
    {
        Recording.Entries.Add((true, request.ToArray()));
        _inner.Send(request);
    }

    public ReadOnlyMemory<byte> Receive()
    {
        var d = _inner.Receive();
        Recording.Entries.Add((false, d.ToArray()));
        return d;
    }

    public bool WaitReadable(int timeoutMs) => _inner.WaitReadable(timeoutMs);
    public void Dispose() => _inner.Dispose();
}

/// <summary>The replayed conversation went another way than the recorded one: a request differs or comes too early or late.</summary>
public sealed class ReplayMismatchException : Exception
{
    public ReplayMismatchException(string message) : base(message) { }
}

/// <summary>
/// Plays a recording back: each request must equal the recorded one byte for byte (so request
/// builders are checked), and receives return the recorded datagrams in order. Running past the
/// end, or sending where the kernel had answered, is a <see cref="ReplayMismatchException"/>.
/// </summary>
internal sealed class ReplayConnection : INetlinkConnection
{
    private readonly NetlinkRecording _rec;
    private readonly string _name;
    private int _next;

    public ReplayConnection(NetlinkRecording rec, string name = "recording")
    {
        _rec = rec;
        _name = name;
    }

    public uint PortId => 0;

    /// <summary>True when every recorded datagram was used.</summary>
    public bool Finished => _next == _rec.Entries.Count;

    public void Send(ReadOnlySpan<byte> request)
    {
        if (_next >= _rec.Entries.Count)
            throw new ReplayMismatchException($"{_name}: request {Convert.ToHexString(request)} after the end of the recording");
        var (sent, data) = _rec.Entries[_next];
        if (!sent)
            throw new ReplayMismatchException($"{_name}: entry {_next} is a reply the code did not read before sending {Convert.ToHexString(request)}");
        if (!request.SequenceEqual(data))
            throw new ReplayMismatchException($"{_name}: entry {_next}: request\n  {Convert.ToHexString(request)}\ndiffers from the recorded\n  {Convert.ToHexString(data)}");
        _next++;
    }

    public ReadOnlyMemory<byte> Receive()
    {
        if (_next >= _rec.Entries.Count || _rec.Entries[_next].Sent)
            throw new ReplayMismatchException($"{_name}: entry {_next}: the code waits for a reply the recording does not have here");
        return _rec.Entries[_next++].Data;
    }

    public bool WaitReadable(int timeoutMs) => _next < _rec.Entries.Count && !_rec.Entries[_next].Sent;

    public void Dispose() { }
}
