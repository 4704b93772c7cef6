using VNet.Fuzz;

// VNet.Fuzz TARGET                 under afl-fuzz: the SharpFuzz fork server for one target
// VNet.Fuzz run TARGET FILE...     each file once, without afl (crashers, corpus check); exit 1 on a crash
// VNet.Fuzz record RECDIR CORPUS   record the kernel's answers (inside tests/sandbox.sh only)
// VNet.Fuzz list                   the target names
if (args.Length == 0) { Console.Error.WriteLine("usage: VNet.Fuzz TARGET | run TARGET FILE... | record RECDIR CORPUSDIR | list"); return 2; }
switch (args[0])
{
    case "list":
        foreach (var t in Targets.All.Keys) Console.WriteLine(t);
        return 0;
    case "record" when args.Length == 3:
        return Recorder.Run(args[1], args[2]);
    case "run" when args.Length >= 3 && Targets.All.ContainsKey(args[1]):
        int crashes = 0;
        foreach (var f in args.Skip(2).SelectMany(a => Directory.Exists(a) ? Directory.GetFiles(a) : new[] { a }))
        {
            try { Targets.Run(args[1], File.ReadAllBytes(f)); }
            catch (Exception e) { crashes++; Console.WriteLine($"CRASH {f}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}"); }
        }
        Console.WriteLine($"{args[1]}: {crashes} crash(es)");
        return crashes == 0 ? 0 : 1;
    default:
        if (!Targets.All.ContainsKey(args[0])) { Console.Error.WriteLine($"unknown target {args[0]}"); return 2; }
        string target = args[0];
        SharpFuzz.Fuzzer.Run(stream =>
        {
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            Targets.Run(target, ms.ToArray());
        });
        return 0;
}
