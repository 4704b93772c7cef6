using System.Buffers.Binary;
using System.Net.Sockets;

namespace VNet.Core.Networks.Dns;

/// <summary>DNS over TCP puts a two-byte length before every message (RFC 1035 4.2.2).</summary>
internal static class TcpFraming
{
    /// <summary>The next message on the stream, or null at its end.</summary>
    public static async Task<byte[]?> ReadMessageAsync(Socket s, CancellationToken cancel)
    {
        var head = new byte[2];
        if (!await ReadExactlyAsync(s, head, cancel).ConfigureAwait(false)) return null;
        int length = BinaryPrimitives.ReadUInt16BigEndian(head);
        var body = new byte[length];
        return await ReadExactlyAsync(s, body, cancel).ConfigureAwait(false) ? body : null;
    }

    public static async Task WriteMessageAsync(Socket s, byte[] message, CancellationToken cancel)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        int sent = 0;
        while (sent < framed.Length)
            sent += await s.SendAsync(framed.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
    }

    private static async Task<bool> ReadExactlyAsync(Socket s, byte[] buffer, CancellationToken cancel)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancel).ConfigureAwait(false);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }
}
