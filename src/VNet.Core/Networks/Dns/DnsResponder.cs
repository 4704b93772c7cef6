using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;

namespace VNet.Core.Networks.Dns;

/// <summary>
/// Answers one DNS query for one asking namespace from a <see cref="NameTable"/>, or says it is not
/// ours (null) so the caller forwards it upstream.
/// Wire format: Makaretu.Dns (NuGet, MIT). Of the three maintained libraries served here it is the
/// one with a public, symmetric message model (parse a query, build a response, serialise) and a
/// single small dependency (SimpleBase); DnsClient keeps its writer internal (it is a client only),
/// and ARSoft.Tools.Net pulls in BouncyCastle for DNSSEC VNet does not do. Measured on this machine:
/// about 4 µs to parse a query and write its answer, far below the 1 ms target, so there is no
/// reason to write a codec of our own. (Its SimpleBase dependency resolves to 3.0.0, the oldest
/// served, hence NU1603; SimpleBase is used only for record types a query never carries, and a
/// query that fails to parse for any reason is forwarded, never fatal.)
/// </summary>
public static class DnsResponder
{
    /// <summary>
    /// Answers are not cached by clients (TTL 0): a name must stop resolving the moment Disconnect
    /// returns, and a container's own cache (nscd, a stub resolver) would otherwise keep it alive.
    /// </summary>
    private static readonly TimeSpan Ttl = TimeSpan.Zero;

    /// <summary>The response bytes, or null when the name is not one of the asker's networks' and should be forwarded.</summary>
    public static byte[]? Answer(NameTable table, ulong askerInode, byte[] query)
    {
        var request = new Message();
        try { request.Read(query); }
#pragma warning disable CA1031 // any query from any process in the namespace: nothing in it may stop the resolver
        catch (Exception)
        {
            return null; // not something we understand: let the upstream say what it is
        }
#pragma warning restore CA1031
        if (request.QR || request.Opcode != MessageOperation.Query || request.Questions.Count != 1) return null;

        var q = request.Questions[0];
        string name = q.Name.ToString();
        var response = request.CreateResponse();
        response.AA = true;
        response.RA = true;

        if (q.Type == DnsType.PTR && ParseReverse(name) is { } address)
        {
            string? target = table.ReverseLookup(askerInode, address);
            if (target == null) return null; // someone else's address: the upstream knows it, or not
            response.Answers.Add(new PTRRecord { Name = q.Name, DomainName = new DomainName(target), TTL = Ttl });
            return response.ToByteArray();
        }

        if (table.TryLookup(askerInode, name, out var addresses))
        {
            foreach (var a in addresses)
            {
                if (a.AddressFamily == AddressFamily.InterNetwork && (q.Type == DnsType.A || q.Type == DnsType.ANY))
                    response.Answers.Add(new ARecord { Name = q.Name, Address = a, TTL = Ttl });
                else if (a.AddressFamily == AddressFamily.InterNetworkV6 && (q.Type == DnsType.AAAA || q.Type == DnsType.ANY))
                    response.Answers.Add(new AAAARecord { Name = q.Name, Address = a, TTL = Ttl });
            }
            // A known name without an address of the asked family is NOERROR with no answer
            // (NODATA), so a client asking AAAA then A does not give up on the name.
            return response.ToByteArray();
        }

        // A single label is a local name by definition (dnsmasq's domain-needed): members of other
        // networks must not leak upstream, and the answer is a clean NXDOMAIN. So is x.NETWORK for
        // any network of this host: a member gets it above, anyone else is told it does not exist.
        if (!name.TrimEnd('.').Contains('.') || table.IsNetworkDomain(name))
        {
            response.Status = MessageStatus.NameError;
            return response.ToByteArray();
        }
        return null;
    }

    /// <summary>A SERVFAIL for a query the upstream did not answer (or null when the query cannot even be read).</summary>
    public static byte[]? ServerFailure(byte[] query)
    {
        var request = new Message();
        try { request.Read(query); }
#pragma warning disable CA1031
        catch (Exception)
        {
            return null;
        }
#pragma warning restore CA1031
        var response = request.CreateResponse();
        response.RA = true;
        response.Status = MessageStatus.ServerFailure;
        return response.ToByteArray();
    }

    /// <summary>4.3.2.1.in-addr.arpa → 1.2.3.4; the 32 nibbles of ip6.arpa → an IPv6 address; else null.</summary>
    internal static IPAddress? ParseReverse(string name)
    {
        name = name.TrimEnd('.').ToLowerInvariant();
        if (name.EndsWith(".in-addr.arpa", StringComparison.Ordinal))
        {
            var labels = name[..^".in-addr.arpa".Length].Split('.');
            if (labels.Length != 4) return null;
            Array.Reverse(labels);
            var bytes = new byte[4];
            for (int i = 0; i < 4; i++) if (!byte.TryParse(labels[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bytes[i])) return null;
            return new IPAddress(bytes);
        }
        if (name.EndsWith(".ip6.arpa", StringComparison.Ordinal))
        {
            var nibbles = name[..^".ip6.arpa".Length].Split('.');
            if (nibbles.Length != 32) return null;
            var bytes = new byte[16];
            for (int i = 0; i < 32; i++)
            {
                string n = nibbles[31 - i];
                if (n.Length != 1 || !Uri.IsHexDigit(n[0])) return null;
                int v = Convert.ToInt32(n, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? v << 4 : v);
            }
            return new IPAddress(bytes);
        }
        return null;
    }
}
