using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using VNet.Core.Native;

namespace VNet.Core.Docker;

/// <summary>A running Docker container and the network namespace it lives in.</summary>
public sealed record DockerContainer(string Id, string Name, string Image, int ProcessId, string? SandboxKey)
{
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
    /// <summary>A path that opens the container's namespace: Docker's file, else its main process's.</summary>
    public string NamespacePath => SandboxKey is { Length: > 0 } && File.Exists(SandboxKey) ? SandboxKey : $"/proc/{ProcessId}/ns/net";
}

/// <summary>
/// The little of the Docker Engine API VNet needs, spoken over Docker's unix socket (no docker
/// CLI). Docker being absent or not answering is normal: callers get an empty list, no error,
/// after a short timeout.
/// </summary>
public static class DockerClient
{
    public static string SocketPath
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            if (host != null && host.StartsWith("unix://", StringComparison.Ordinal)) return host["unix://".Length..];
            return "/run/docker.sock";
        }
    }

    private static HttpClient Client(string socket, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(System.Net.Sockets.AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct).ConfigureAwait(false);
                return new NetworkStream(s, ownsSocket: true);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri("http://docker/"), Timeout = timeout };

    /// <summary>Running containers with their namespaces; empty when Docker is not there.</summary>
    public static List<DockerContainer> List(TimeSpan? timeout = null)
    {
        string socket = SocketPath;
        if (!File.Exists(socket)) return new List<DockerContainer>();
        try
        {
            using var http = Client(socket, timeout ?? TimeSpan.FromSeconds(2));
            var list = http.GetFromJsonAsync<JsonElement>("containers/json").GetAwaiter().GetResult();
            var result = new List<DockerContainer>();
            foreach (var c in list.EnumerateArray())
            {
                string id = c.GetProperty("Id").GetString() ?? "";
                var inspect = http.GetFromJsonAsync<JsonElement>($"containers/{id}/json").GetAwaiter().GetResult();
                string name = (inspect.GetProperty("Name").GetString() ?? "").TrimStart('/');
                string image = inspect.GetProperty("Config").GetProperty("Image").GetString() ?? "";
                int pid = inspect.GetProperty("State").GetProperty("Pid").GetInt32();
                string? sandbox = inspect.GetProperty("NetworkSettings").TryGetProperty("SandboxKey", out var sk) ? sk.GetString() : null;
                if (pid > 0) result.Add(new DockerContainer(id, name, image, pid, sandbox));
            }
            return result;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or IOException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new List<DockerContainer>();
        }
    }

    /// <summary>A running container by name or (prefix of its) ID; ContainerNotFound otherwise.</summary>
    public static DockerContainer Find(string nameOrId)
    {
        var all = List();
        return all.FirstOrDefault(c => c.Name == nameOrId.TrimStart('/'))
            ?? all.FirstOrDefault(c => nameOrId.Length >= 4 && c.Id.StartsWith(nameOrId, StringComparison.Ordinal))
            ?? throw Messages.Error("ContainerNotFound", VNetErrorCategory.ObjectNotFound, nameOrId, nameOrId, SocketPath);
    }

    /// <summary>
    /// The network namespace of a running container (name or ID), as a path -Namespace takes: what
    /// every cmdlet with -Container resolves it to.
    /// </summary>
    public static string NamespaceOf(string nameOrId) => Find(nameOrId).NamespacePath;

    /// <summary>Each running container keyed by the inode of its network namespace.</summary>
    public static Dictionary<ulong, DockerContainer> ByNamespaceInode()
    {
        var map = new Dictionary<ulong, DockerContainer>();
        foreach (var c in List())
        {
            var st = Sys.StatPath(c.NamespacePath);
            if (st != null) map.TryAdd(st.Value.Ino, c);
        }
        return map;
    }
}
