using System.Net;
using Makaretu.Dns;
using VNet.Core.Networks;
using VNet.Core.Networks.Dns;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>What the resolver answers for whom, from a store in a temporary folder (no kernel).</summary>
public class DnsResponderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vnet-dns-").FullName;
    private readonly LocalNetworkStore _store;
    private const ulong A = 1001, B = 1002, C = 2001, Stranger = 9999;

    public DnsResponderTests()
    {
        _store = new LocalNetworkStore(Path.Combine(_dir, "state"), Path.Combine(_dir, "run"));
        _store.SaveNetwork(new ContainerNetwork { Name = "front", Id = "1" });
        _store.SaveNetwork(new ContainerNetwork { Name = "back", Id = "2" });
        Member("front", "a", A, "198.51.100.2/24");
        Member("front", "b", B, "198.51.100.3/24", "2001:db8::3/64", "web", "Api");
        Member("back", "c", C, "203.0.113.2/24");
        _store.SaveEndpoint(new ContainerEndpoint { Id = "p", Network = "front", State = EndpointState.Pending, NamespaceInode = 1003, Addresses = { "198.51.100.4/24" }, Names = { "pending" } });
    }

    private void Member(string network, string name, ulong inode, params string[] rest) =>
        _store.SaveEndpoint(new ContainerEndpoint
        {
            Id = name, Network = network, State = EndpointState.Active, NamespaceInode = inode,
            Addresses = rest.Where(r => r.Contains('/')).ToList(), Names = new[] { name }.Concat(rest.Where(r => !r.Contains('/'))).ToList(),
        });

    private Message Ask(ulong asker, string name, DnsType type = DnsType.A)
    {
        var q = new Message { Id = 4242, RD = true };
        q.Questions.Add(new Question { Name = name, Type = type });
        var bytes = DnsResponder.Answer(NameTable.Load(_store), asker, q.ToByteArray());
        Assert.NotNull(bytes);
        var r = new Message();
        r.Read(bytes!);
        Assert.Equal(4242, r.Id);
        Assert.True(r.QR);
        return r;
    }

    private static string[] Addresses(Message m) => m.Answers.Select(a => a switch { ARecord x => x.Address.ToString(), AAAARecord x => x.Address.ToString(), _ => "" }).ToArray();

    [Theory]
    [InlineData("b")]
    [InlineData("B")]
    [InlineData("web")]
    [InlineData("api")]
    [InlineData("b.front")]
    [InlineData("WEB.Front.")]
    public void AMemberResolvesItsNeighbourByNameAliasAndNetwork(string name)
    {
        var r = Ask(A, name);
        Assert.Equal(MessageStatus.NoError, r.Status);
        Assert.True(r.AA);
        Assert.Equal(new[] { "198.51.100.3" }, Addresses(r));
    }

    [Fact]
    public void AaaaAndNoDataForAFamilyTheNameLacks()
    {
        Assert.Equal(new[] { "2001:db8::3" }, Addresses(Ask(A, "web", DnsType.AAAA)));
        var none = Ask(B, "a", DnsType.AAAA);
        Assert.Equal(MessageStatus.NoError, none.Status); // NODATA: the name exists
        Assert.Empty(none.Answers);
    }

    [Fact]
    public void OthersGetNxdomainAndNothingLeaks()
    {
        Assert.Equal(MessageStatus.NameError, Ask(C, "b").Status);
        Assert.Equal(MessageStatus.NameError, Ask(C, "web.front").Status);
        Assert.Equal(MessageStatus.NameError, Ask(Stranger, "a").Status);
        Assert.Equal(MessageStatus.NameError, Ask(A, "c").Status);
        Assert.Equal(MessageStatus.NameError, Ask(A, "pending").Status); // not Active yet
        Assert.Equal(MessageStatus.NameError, Ask(A, "nobody.front").Status);
    }

    [Fact]
    public void PtrNamesTheMemberQualifiedByItsNetwork()
    {
        var r = Ask(A, "3.100.51.198.in-addr.arpa", DnsType.PTR);
        Assert.Equal("b.front", ((PTRRecord)Assert.Single(r.Answers)).DomainName.ToString());
        var six = Ask(A, string.Join('.', "20010db8000000000000000000000003".Reverse()) + ".ip6.arpa", DnsType.PTR);
        Assert.Equal("b.front", ((PTRRecord)Assert.Single(six.Answers)).DomainName.ToString());
        // Someone else's address is not ours to answer: forwarded.
        var q = new Message { Id = 1 };
        q.Questions.Add(new Question { Name = "3.100.51.198.in-addr.arpa", Type = DnsType.PTR });
        Assert.Null(DnsResponder.Answer(NameTable.Load(_store), C, q.ToByteArray()));
    }

    [Fact]
    public void QualifiedOutsideNamesAndGarbageAreForwarded()
    {
        var q = new Message { Id = 1 };
        q.Questions.Add(new Question { Name = "example.org", Type = DnsType.A });
        Assert.Null(DnsResponder.Answer(NameTable.Load(_store), A, q.ToByteArray()));
        Assert.Null(DnsResponder.Answer(NameTable.Load(_store), A, new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void ANameGoesAsSoonAsItsRecordDoes()
    {
        var before = NameTable.Load(_store);
        _store.DeleteEndpoint("front", "b");
        Assert.NotEqual(before.Version, _store.Version());
        Assert.Equal(MessageStatus.NameError, Ask(A, "web").Status);
    }

    [Theory]
    [InlineData("4.3.2.1.in-addr.arpa", "1.2.3.4")]
    [InlineData("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "2001:db8::1")]
    [InlineData("1.2.3.in-addr.arpa", null)]
    [InlineData("300.2.3.4.in-addr.arpa", null)]
    [InlineData("example.org", null)]
    public void ReverseNames(string name, string? address) =>
        Assert.Equal(address == null ? null : IPAddress.Parse(address), DnsResponder.ParseReverse(name));

    [Fact]
    public void UpstreamsFromResolvConfSkipOurOwnAddress()
    {
        string f = Path.Combine(_dir, "resolv.conf");
        File.WriteAllText(f, "# comment\nnameserver 127.0.0.11\nnameserver 192.0.2.53\nsearch example\nnameserver 2001:db8::53\n");
        Assert.Equal(new[] { "192.0.2.53:53", "[2001:db8::53]:53" }, UpstreamForwarder.ReadResolvConf(f).Select(e => e.ToString()));
        Assert.Equal(new[] { "192.0.2.1:53", "192.0.2.2:5353" }, UpstreamForwarder.ParseList("192.0.2.1, 192.0.2.2:5353,bogus").Select(e => e.ToString()));
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
