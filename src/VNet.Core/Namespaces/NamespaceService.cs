using System.Diagnostics;
using System.Globalization;
using VNet.Core.Native;
using VNet.Core.Netlink;

namespace VNet.Core.Namespaces;

/// <summary>
/// Named network namespaces kept the way iproute2 keeps them (a bind mount of the namespace on an
/// empty file under /run/netns, itself a shared mount point), so `ip netns` and VNet see each
/// other's; plus discovery of Docker's and every process's namespaces.
/// </summary>
public sealed class NamespaceService
{
    /// <summary>iproute2's folder of named namespaces.</summary>
    public const string DefaultNetnsDir = "/run/netns";
    /// <summary>Docker's folder; /var/run is a link to /run on current distributions, so both names are checked.</summary>
    public static readonly string[] DockerNetnsDirs = { "/run/docker/netns", "/var/run/docker/netns" };

    private readonly NetContext _ctx;

    internal NamespaceService(NetContext ctx, string netnsDir)
    {
        _ctx = ctx;
        NetnsDir = netnsDir;
    }

    /// <summary>
    /// Where names live: /run/netns, or another folder when one context works for an emulated
    /// host whose own /run/netns is that folder seen from outside (see lab/).
    /// </summary>
    public string NetnsDir { get; }

    /// <summary>The path a namespace argument names (an absolute path as it is, else a name under <see cref="NetnsDir"/>); null for a name that is not valid.</summary>
    internal string? PathOf(string ns)
    {
        if (ns.StartsWith('/')) return ns;
        try { Validation.NamespaceName(ns); }
        catch (VNetException) { return null; } // Open says what is wrong with it
        return System.IO.Path.Combine(NetnsDir, ns);
    }

    /// <summary>Opens a namespace by /run/netns name or by absolute path, with errors that say which.</summary>
    internal NamespaceHandle Open(string ns)
    {
        string path;
        if (ns.StartsWith('/'))
        {
            path = ns;
        }
        else
        {
            Validation.NamespaceName(ns);
            path = System.IO.Path.Combine(NetnsDir, ns);
        }
        int fd;
        try
        {
            fd = Sys.Open(path, Sys.O_RDONLY);
        }
        catch (SystemCallException e) when (e.Errno is Sys.ENOENT or Sys.ENOTDIR)
        {
            throw Messages.Error("NamespaceNotFound", VNetErrorCategory.ObjectNotFound, ns, ns, path);
        }
        catch (SystemCallException e)
        {
            throw VNetException.FromSystemCall(e, $"open namespace '{ns}'", ns);
        }
        if (Sys.FStat(fd).Dev != NsfsDevice)
        {
            // An empty file where a bind mount should be: what `ip netns exec ... ip netns add` leaves behind.
            Sys.Close(fd);
            throw Messages.Error("NamespaceStale", VNetErrorCategory.InvalidOperation, ns, ns, path);
        }
        return new NamespaceHandle(fd, ns, path);
    }

    private static ulong? s_nsfsDev;

    /// <summary>The device number of nsfs, which every real namespace file has.</summary>
    internal static ulong NsfsDevice => s_nsfsDev ??= Sys.StatPath("/proc/self/ns/net")?.Dev ?? 0;

    /// <summary>Creates /run/netns/NAME holding a new namespace with lo up, like `ip netns add` (which leaves lo down).</summary>
    public NetNamespace Create(string name) => Create(name, force: false);

    /// <summary>
    /// Creates a named namespace. With <paramref name="force"/> a re-run converges: a namespace
    /// that exists already is returned as it is (lo brought up), and a stale name (an empty file
    /// with nothing mounted on it, what a kill between the two steps below leaves) gets a new
    /// namespace mounted on it. Without it, both are errors that say which.
    /// </summary>
    public NetNamespace Create(string name, bool force)
    {
        Validation.NamespaceName(name);
        string path = System.IO.Path.Combine(NetnsDir, name);
        EnsureSharedNetnsDir();
        // The name is a file made first and a bind mount put on it second (the mount needs a file
        // to land on, and a mount point cannot be renamed into place). A kill between the two
        // leaves an empty file: List shows it as Stale, and force repairs it.
        //
        // Whoever mounts on a name holds a flock on the name's own file (the one under the mount to
        // come) from before its last look until the mount is done, and looks again once it has it:
        // two callers repairing one stale name with -Force (or one creating it while another
        // repairs what looks stale) take turns, and the second finds the first one's namespace
        // rather than mounting a second one over it.
        bool repair = false;
        int nameFd = -1;
        try
        {
            nameFd = Sys.Open(path, Sys.O_RDONLY | Sys.O_CREAT | Sys.O_EXCL, 0);
        }
        catch (SystemCallException e) when (e.Errno == Sys.EEXIST)
        {
            bool live = Sys.StatPath(path) is { } st && st.Dev == NsfsDevice;
            if (live && force) return Existing(name, path);
            if (live) throw Messages.Error("NamespaceExists", VNetErrorCategory.ResourceExists, name, name, path);
            if (!force) throw Messages.Error("NamespaceStale", VNetErrorCategory.InvalidOperation, name, name, path);
            repair = true;
            try { nameFd = Sys.Open(path, Sys.O_RDONLY); }
            catch (SystemCallException e2) { throw VNetException.FromSystemCall(e2, $"open {path}", name); }
            if (Sys.FStat(nameFd).Dev == NsfsDevice)
            {
                // Mounted between the two looks: someone else repaired it.
                Sys.Close(nameFd);
                return Existing(name, path);
            }
        }
        catch (SystemCallException e)
        {
            throw VNetException.FromSystemCall(e, $"create {path}", name);
        }
        try
        {
            FileLock.Exclusive(nameFd);
            // The turn is ours: did the caller before us put a namespace on the name?
            if (Sys.StatPath(path) is { } now && now.Dev == NsfsDevice)
            {
                if (force) return Existing(name, path);
                throw Messages.Error("NamespaceExists", VNetErrorCategory.ResourceExists, name, name, path);
            }
            return MountNew(name, path, repair);
        }
        finally
        {
            Sys.Close(nameFd); // lets the next caller have its turn
        }
    }

    /// <summary>Makes a namespace and mounts it on the name's file (made already; the caller holds its lock).</summary>
    private NetNamespace MountNew(string name, string path, bool repair)
    {
        NetlinkSocket? sock = null;
        int nsFd = -1;
        try
        {
            // Unshare on the core's own thread, pin the new namespace with a bind mount, open a socket
            // and a descriptor while inside (both stay bound to it), and return home. Opening the
            // descriptor there is cheaper than a path lookup through the fresh mount afterwards.
            (sock, nsFd) = NamespaceThread.RunInNewNamespace(() =>
            {
                Sys.Mount("/proc/thread-self/ns/net", path, "none", Sys.MS_BIND);
                int self = Sys.Open("/proc/thread-self/ns/net", Sys.O_RDONLY);
                try { return (new NetlinkSocket(), self); }
                catch { Sys.Close(self); throw; }
            });
        }
        catch (Exception e)
        {
            Sys.Umount(path, Sys.MNT_DETACH);
            // A stale name being repaired was there before: leave it as it was found.
            if (!repair) File.Delete(path);
            if (e is SystemCallException sc) throw VNetException.FromSystemCall(sc, $"create namespace '{name}'", name);
            throw;
        }
        var handle = _ctx.Adopt(name, new NamespaceHandle(nsFd, name, path), sock);
        try
        {
            LoopbackUp(name);
        }
        catch
        {
            Remove(name, strict: false);
            throw;
        }
        return new NetNamespace
        {
            Name = name, Path = path, Inode = handle.Inode, Source = nameof(NamespaceSource.Named),
        };
    }

    /// <summary>
    /// Brings lo up. It is always index 1 in its namespace; one request by index, sent here rather
    /// than through Links, which sits above Namespaces.
    /// </summary>
    private void LoopbackUp(string name)
    {
        var req = new NetlinkWriter(Rtm.NEWLINK, Nl.F_REQUEST | Nl.F_ACK);
        IfInfoMsg.Write(req, LoopbackIndex, up: true);
        _ctx.Socket(name).Request(req, $"bring lo up in namespace '{name}'", name);
    }

    private const int LoopbackIndex = 1;

    /// <summary>A namespace that is there already, as -Force returns it: lo up, as Create leaves it.</summary>
    private NetNamespace Existing(string name, string path)
    {
        var h = _ctx.Resolve(name);
        LoopbackUp(name);
        return new NetNamespace { Name = name, Path = path, Inode = h.Inode, Source = nameof(NamespaceSource.Named) };
    }

    /// <summary>
    /// Removes a /run/netns name (unmount and delete the file). The namespace itself ends when nothing
    /// else holds it. Returns false if there was nothing to remove; with strict, that is an error.
    /// </summary>
    public bool Remove(string name, bool strict) => RemoveName(name, strict).Removed;

    /// <summary>
    /// What keeps a named namespace alive besides its name: the processes living in it and its
    /// other names or bind mounts (Docker's file, a second /run/netns name). Null when the name
    /// holds no namespace (gone, stale, or a symlink).
    /// </summary>
    public NamespaceRemoval? Holders(string name)
    {
        Validation.NamespaceName(name);
        string path = System.IO.Path.Combine(NetnsDir, name);
        if (new FileInfo(path).LinkTarget != null) return null;
        if (Sys.StatPath(path) is not { } st || st.Dev != NsfsDevice) return null;
        return new NamespaceRemoval
        {
            KeptByProcesses = ProcessesIn(st.Ino),
            KeptByMounts = OtherMounts(st.Ino, path),
        };
    }

    /// <summary>
    /// Removes a /run/netns name (unmount and delete the file), as `ip netns delete` does; the
    /// namespace ends when nothing else holds it (Orchestration/NamespaceOperations also deletes
    /// its interfaces first). Returns whether a name was removed; strict makes "gone" an error.
    /// </summary>
    public NamespaceRemoval RemoveName(string name, bool strict)
    {
        Validation.NamespaceName(name);
        string path = System.IO.Path.Combine(NetnsDir, name);
        _ctx.Forget(name);
        // Veth peers are resolved by this path: a handle kept under it would keep answering for the
        // removed namespace after a new one takes the name.
        _ctx.Forget(path);
        var info = new FileInfo(path);
        bool isLink = info.LinkTarget != null;
        if (!info.Exists && !isLink)
        {
            _ctx.Forget(name);
            if (strict) throw Messages.Error("NamespaceNotFound", VNetErrorCategory.ObjectNotFound, name, name, path);
            return new NamespaceRemoval { Removed = false };
        }
        // A symlink (how seed 000 names Docker's namespaces by hand) is only a name: unlink it, and
        // never unmount through it, which would tear down the bind mount it points at.
        if (!isLink)
        {
            if (Sys.StatPath(path) is { } st && st.Dev == NsfsDevice)
            {
                // Sockets other contexts left open in it for a moment would keep it (and its
                // interfaces) alive after the name goes.
                _ctx.ReleaseNamespace(st.Ino);
                ForgetMount(st.Ino, path);
            }
            _ctx.Forget(name);
            int err = Sys.Umount(path, Sys.MNT_DETACH | Sys.UMOUNT_NOFOLLOW);
            if (err is Sys.EPERM or Sys.EACCES)
                throw VNetException.FromErrno(err, $"remove namespace '{name}'", name);
        }
        else
        {
            _ctx.Forget(name);
        }
        try
        {
            File.Delete(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw VNetException.FromErrno(Sys.EACCES, $"remove namespace '{name}'", name);
        }
        return new NamespaceRemoval { Removed = true };
    }

    private Dictionary<ulong, List<NetProcess>>? _processes;
    private Dictionary<ulong, List<Mount>>? _mounts;

    /// <summary>An nsfs mount from mountinfo: where, and its propagation tags (shared:N, master:N).</summary>
    private sealed record Mount(string Path, string[] Tags);

    /// <summary>
    /// The mounts of a namespace that keep it alive once <paramref name="path"/> is unmounted: not
    /// the name itself, and not its propagation copies (a mount in the same shared peer group, or
    /// a slave of it, such as an emulated host's view of /run/netns), which go with it.
    /// </summary>
    private string[] OtherMounts(ulong inode, string path)
    {
        var all = MountsOf(inode);
        var groups = all.Where(m => m.Path == path).SelectMany(m => m.Tags)
            .Where(t => t.StartsWith("shared:", StringComparison.Ordinal)).Select(t => t[7..]).ToHashSet();
        return all.Where(m => m.Path != path)
            .Where(m => !m.Tags.Any(t => (t.StartsWith("shared:", StringComparison.Ordinal) && groups.Contains(t[7..]))
                                      || (t.StartsWith("master:", StringComparison.Ordinal) && groups.Contains(t[7..]))))
            .Select(m => m.Path).Distinct().ToArray();
    }

    /// <summary>The processes living in a namespace (/proc scanned once per context: a bulk removal asks for each name).</summary>
    private NetProcess[] ProcessesIn(ulong inode)
    {
        _processes ??= ScanProcesses();
        // The scan is as old as the context (one cmdlet call): good enough for a bulk removal.
        return _processes.TryGetValue(inode, out var l) ? l.ToArray() : Array.Empty<NetProcess>();
    }

    /// <summary>Every mount point of a namespace (its /run/netns names, Docker's file, other bind mounts), from mountinfo.</summary>
    private List<Mount> MountsOf(ulong inode)
    {
        if (_mounts == null)
        {
            _mounts = new Dictionary<ulong, List<Mount>>();
            string[] lines;
            try { lines = File.ReadAllLines("/proc/self/mountinfo"); }
            catch (IOException) { lines = Array.Empty<string>(); }
            foreach (var line in lines)
            {
                // id parent major:minor root mountpoint options [optional fields...] - fstype ...;
                // an nsfs mount's root is "net:[INODE]", its optional fields its propagation.
                var f = line.Split(' ');
                if (f.Length < 7 || !f[3].StartsWith("net:[", StringComparison.Ordinal)) continue;
                if (!ulong.TryParse(f[3].AsSpan(5, f[3].Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out ulong ino)) continue;
                if (!_mounts.TryGetValue(ino, out var list)) _mounts[ino] = list = new List<Mount>();
                list.Add(new Mount(UnescapeMountPath(f[4]), f.Skip(6).TakeWhile(x => x != "-").ToArray()));
            }
        }
        return _mounts.TryGetValue(inode, out var l) ? l : new List<Mount>();
    }

    private void ForgetMount(ulong inode, string path)
    {
        if (_mounts != null && _mounts.TryGetValue(inode, out var l)) l.RemoveAll(m => m.Path == path);
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...).</summary>
    private static string UnescapeMountPath(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && int.TryParse(s.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Gives an existing namespace (a path such as Docker's, or /proc/PID/ns/net) a /run/netns name, as a bind mount.</summary>
    public NetNamespace Name(string name, string sourcePath)
    {
        Validation.NamespaceName(name);
        using var src = Open(sourcePath);
        string path = System.IO.Path.Combine(NetnsDir, name);
        EnsureSharedNetnsDir();
        try
        {
            Sys.Close(Sys.Open(path, Sys.O_RDONLY | Sys.O_CREAT | Sys.O_EXCL, 0));
        }
        catch (SystemCallException e) when (e.Errno == Sys.EEXIST)
        {
            throw Messages.Error("NamespaceExists", VNetErrorCategory.ResourceExists, name, name, path);
        }
        try
        {
            Sys.Mount($"/proc/self/fd/{src.Fd}", path, "none", Sys.MS_BIND);
        }
        catch (SystemCallException e)
        {
            File.Delete(path);
            throw VNetException.FromSystemCall(e, $"name namespace {sourcePath} as '{name}'", name);
        }
        _mounts = null; // a second name now holds that namespace: Holders must see it
        return new NetNamespace { Name = name, Path = path, Inode = src.Inode, Source = nameof(NamespaceSource.Named) };
    }

    /// <summary>
    /// iproute2 makes /run/netns a shared mount point so that names created in one mount namespace
    /// are seen in others; do the same so both tools agree.
    /// </summary>
    private bool _netnsDirReady;

    private void EnsureSharedNetnsDir()
    {
        // Once per context: a bulk build would otherwise pay two mount calls per namespace.
        if (_netnsDirReady) return;
        _netnsDirReady = true;
        try
        {
            Directory.CreateDirectory(NetnsDir);
            try
            {
                Sys.Mount("none", NetnsDir, null, Sys.MS_SHARED | Sys.MS_REC);
            }
            catch (SystemCallException e) when (e.Errno == Sys.EINVAL)
            {
                // Not a mount point yet: bind it on itself first.
                Sys.Mount(NetnsDir, NetnsDir, "none", Sys.MS_BIND | Sys.MS_REC);
                Sys.Mount("none", NetnsDir, null, Sys.MS_SHARED | Sys.MS_REC);
            }
        }
        catch (SystemCallException e)
        {
            throw VNetException.FromSystemCall(e, $"prepare {NetnsDir}", NetnsDir);
        }
        catch (UnauthorizedAccessException)
        {
            throw VNetException.FromErrno(Sys.EACCES, $"prepare {NetnsDir}", NetnsDir);
        }
    }

    /// <summary>
    /// Every network namespace VNet can find: named ones, Docker's, and those of running processes,
    /// merged by inode. Names filter on the /run/netns name; processId picks the namespace of one process.
    /// </summary>
    public List<NetNamespace> List(string[]? names = null, int[]? processIds = null, bool includeProcesses = true)
    {
        var byInode = new Dictionary<ulong, Builder>();
        var stale = new List<string>();
        Builder For(ulong ino) => byInode.TryGetValue(ino, out var b) ? b : byInode[ino] = new Builder { Inode = ino };

        ulong nsfs = NsfsDevice;
        if (Directory.Exists(NetnsDir))
        {
            foreach (var file in Directory.EnumerateFileSystemEntries(NetnsDir).Order(StringComparer.Ordinal))
            {
                var st = Sys.StatPath(file);
                if (st == null || st.Value.Dev != nsfs)
                {
                    // Nothing mounted on the name: shown as Stale, never hidden (New-NetNamespace
                    // would trip over it, and -Force or Remove-NetNamespace clears it).
                    if (st != null || new FileInfo(file).LinkTarget != null) stale.Add(System.IO.Path.GetFileName(file));
                    continue;
                }
                var b = For(st.Value.Ino);
                b.Names.Add(System.IO.Path.GetFileName(file));
            }
        }
        foreach (var dir in DockerNetnsDirs)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFileSystemEntries(dir))
            {
                if (System.IO.Path.GetFileName(file) == "default") continue; // Docker's link to the host's namespace
                var st = Sys.StatPath(file);
                if (st == null || st.Value.Dev != nsfs) continue;
                For(st.Value.Ino).DockerPath ??= file;
            }
        }
        var procs = includeProcesses || processIds != null ? ScanProcesses() : new Dictionary<ulong, List<NetProcess>>();
        foreach (var (ino, list) in procs) For(ino).Processes.AddRange(list);

        ulong current = Sys.StatPath("/proc/thread-self/ns/net")?.Ino ?? 0;
        var containers = Docker.DockerClient.ByNamespaceInode();
        foreach (var (ino, c) in containers) For(ino).DockerPath ??= c.SandboxKey is { Length: > 0 } k && File.Exists(k) ? k : null;
        var result = new List<NetNamespace>();
        foreach (var b in byInode.Values)
        {
            if (b.Names.Count == 0 && b.DockerPath == null && !includeProcesses && processIds == null) continue;
            var src = NamespaceSource.None;
            if (b.Names.Count > 0) src |= NamespaceSource.Named;
            if (b.DockerPath != null || containers.ContainsKey(b.Inode)) src |= NamespaceSource.Docker;
            if (b.Processes.Count > 0) src |= NamespaceSource.Process;
            b.Processes.Sort((x, y) => x.ProcessId.CompareTo(y.ProcessId));
            // One object per name, so that `ip netns add a; ... name b` shows both like `ip netns list`.
            var nameList = b.Names.Count > 0 ? b.Names.Cast<string?>().ToList() : new List<string?> { null };
            containers.TryGetValue(b.Inode, out var container);
            foreach (var name in nameList)
            {
                result.Add(new NetNamespace
                {
                    ContainerName = container?.Name,
                    ContainerId = container?.ShortId,
                    ContainerImage = container?.Image,
                    Name = name,
                    Path = name != null ? System.IO.Path.Combine(NetnsDir, name)
                        : b.DockerPath ?? container?.NamespacePath ?? $"/proc/{b.Processes[0].ProcessId}/ns/net",
                    Inode = b.Inode,
                    Source = src.ToString(),
                    DockerPath = b.DockerPath,
                    Processes = b.Processes.ToArray(),
                    ProcessIds = b.Processes.Select(p => p.ProcessId).ToArray(),
                    IsCurrent = b.Inode == current,
                });
            }
        }
        foreach (var name in stale)
        {
            result.Add(new NetNamespace
            {
                Name = name, Path = System.IO.Path.Combine(NetnsDir, name), Source = nameof(NamespaceSource.Named),
                State = NamespaceStates.Stale,
            });
        }
        IEnumerable<NetNamespace> q = result;
        if (names is { Length: > 0 })
            q = q.Where(n => n.Name != null && names.Any(w => Wildcard.IsMatch(n.Name, w)));
        if (processIds is { Length: > 0 })
            q = q.Where(n => n.ProcessIds.Any(processIds.Contains));
        // Named first (sorted by name), then Docker's, then process-only ones by first pid.
        return q.OrderBy(n => n.Name == null ? 1 : 0)
            .ThenBy(n => n.Name, StringComparer.Ordinal)
            .ThenBy(n => n.DockerPath == null ? 1 : 0)
            .ThenBy(n => n.ProcessIds.Length > 0 ? n.ProcessIds[0] : int.MaxValue)
            .ToList();
    }

    /// <summary>Finds the namespace with this inode among those VNet can see (for naming a veth's far side).</summary>
    public NetNamespace? FindByInode(ulong inode, IReadOnlyList<NetNamespace>? known = null) =>
        (known ?? List()).FirstOrDefault(n => n.Inode == inode);

    /// <summary>The processes of each namespace, from /proc/PID/ns/net (threads share their process's).</summary>
    internal static Dictionary<ulong, List<NetProcess>> ScanProcesses()
    {
        var map = new Dictionary<ulong, List<NetProcess>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            string pidText = System.IO.Path.GetFileName(dir);
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            string? target;
            try { target = new FileInfo($"{dir}/ns/net").LinkTarget; }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (target == null || !target.StartsWith("net:[", StringComparison.Ordinal)) continue;
            if (!ulong.TryParse(target.AsSpan(5, target.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out ulong ino)) continue;
            string comm = "";
            try { comm = File.ReadAllText($"{dir}/comm").TrimEnd('\n'); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            if (!map.TryGetValue(ino, out var list)) map[ino] = list = new List<NetProcess>();
            list.Add(new NetProcess(pid, comm));
        }
        return map;
    }

    /// <summary>
    /// Starts a program inside a namespace (like `ip netns exec`, but without a private mount
    /// namespace): the fork happens on the core's worker while it is inside, and the child keeps
    /// that namespace. The caller waits for it and reads its output.
    /// </summary>
    public Process StartProcess(string? ns, ProcessStartInfo psi)
    {
        var h = _ctx.Resolve(ns);
        _processes = null; // a process now lives there: Holders must see it
        try
        {
            return NamespaceThread.RunIn(h, () => Process.Start(psi) ?? throw new InvalidOperationException("process did not start"));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Messages.Error("CommandNotFound", VNetErrorCategory.ObjectNotFound, psi.FileName, psi.FileName, e.Message);
        }
    }

    /// <summary>Runs a program inside a namespace to completion and returns its exit code and output.</summary>
    public (int Code, string Output, string Error) Run(string? ns, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = StartProcess(ns, psi);
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    /// <summary>Runs work on a dedicated thread inside the namespace (script blocks, anything that may call back into VNet).</summary>
    public T RunInside<T>(string? ns, Func<T> work)
    {
        var h = _ctx.Resolve(ns);
        return NamespaceThread.RunDedicated(h.Fd, work, h.Display);
    }

    private sealed class Builder
    {
        public ulong Inode;
        public readonly List<string> Names = new();
        public string? DockerPath;
        public readonly List<NetProcess> Processes = new();
    }
}
