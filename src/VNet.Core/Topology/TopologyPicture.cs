using System.Diagnostics;
using System.Text;

namespace VNet.Core.Topology;

/// <summary>
/// A topology document drawn: Graphviz DOT and Mermaid text (namespaces as boxes, interfaces inside
/// them labelled with their addresses, bridges, veth cables between their two ends, tunnels to their
/// remote VTEPs, routes and NAT under each namespace's name), and SVG rendered by Graphviz's `dot`.
/// The drawing follows the document's order, so it is as stable as the document.
/// </summary>
public static class TopologyPicture
{
    private sealed record Node(string Id, string? Ns, string Name, string Kind, List<string> Lines);

    private sealed class Model
    {
        public readonly List<string?> Namespaces = new();
        public readonly Dictionary<(string, string), Node> Nodes = new();
        public readonly List<Node> Order = new();
        public readonly List<(string A, string B, string Label, string Style)> Edges = new();
        public readonly Dictionary<string, Node> Vteps = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<string>> Notes = new(StringComparer.Ordinal);

        public Node Get(string? ns, string name, string kind)
        {
            if (Nodes.TryGetValue((ns ?? "", name), out var n)) return n;
            if (!Namespaces.Contains(ns)) Namespaces.Add(ns);
            n = new Node($"n{Order.Count}", ns, name, kind, new List<string>());
            Nodes[(ns ?? "", name)] = n;
            Order.Add(n);
            return n;
        }

        public void Note(string? ns, string text)
        {
            if (!Namespaces.Contains(ns)) Namespaces.Add(ns);
            if (!Notes.TryGetValue(ns ?? "", out var l)) Notes[ns ?? ""] = l = new();
            l.Add(text);
        }
    }

    private static Model Build(TopologyDocument doc)
    {
        var m = new Model();
        m.Namespaces.Add(null);
        foreach (var n in doc.Namespaces) if (!m.Namespaces.Contains(n.Name)) m.Namespaces.Add(n.Name);
        foreach (var b in doc.Bridges)
        {
            var node = m.Get(b.Namespace, b.Name, "bridge");
            if (b.Isolated == true) node.Lines.Add("isolated");
        }
        foreach (var v in doc.Veths)
        {
            var a = m.Get(v.Namespace, v.Name, "veth");
            var p = m.Get(v.PeerNamespace, v.PeerName, "veth");
            m.Edges.Add((a.Id, p.Id, "veth", "cable"));
        }
        foreach (var t in doc.Vxlans)
        {
            var node = m.Get(t.Namespace, t.Name, "vxlan");
            node.Lines.Add($"VNI {t.Vni}{(t.Device != null ? " dev " + t.Device : "")}");
            foreach (var r in new[] { t.Remote, t.Group }.Concat(t.Peers ?? new()).Where(r => r != null))
            {
                if (!m.Vteps.TryGetValue(r!, out var vtep))
                    m.Vteps[r!] = vtep = new Node($"v{m.Vteps.Count}", null, r!, "vtep", new List<string> { "remote VTEP" });
                m.Edges.Add((node.Id, vtep.Id, $"VNI {t.Vni}", "tunnel"));
            }
        }
        foreach (var b in doc.Bridges)
        {
            var br = m.Get(b.Namespace, b.Name, "bridge");
            foreach (var p in b.Ports ?? new()) m.Edges.Add((br.Id, m.Get(b.Namespace, p, "device").Id, "", "port")); // bridge left of its ports
        }
        foreach (var a in doc.Addresses) m.Get(a.Namespace, a.Interface, "device").Lines.Add(a.Address);
        foreach (var r in doc.Routes) m.Note(r.Namespace, $"{r.Destination}{(r.Gateway != null ? " via " + r.Gateway : "")}{(r.Interface != null ? " dev " + r.Interface : "")}");
        foreach (var n in doc.Nat)
            m.Note(n.Namespace, n.Kind == "Publish"
                ? $"publish {n.Protocol ?? "tcp"} {(n.HostAddress != null ? n.HostAddress + ":" : "")}{n.PublishPort} -> {n.ToAddress}:{n.ToPort ?? n.PublishPort}"
                : $"{n.Kind.ToLowerInvariant()} {n.Source}{(n.OutInterface != null ? " via " + n.OutInterface : "")}{(n.ToAddress != null ? " to " + n.ToAddress : "")}");
        return m;
    }

    private static string NsLabel(string? ns) => ns ?? "host (current namespace)";

    public static string ToDot(TopologyDocument doc)
    {
        var m = Build(doc);
        var sb = new StringBuilder();
        sb.AppendLine("graph vnet {");
        sb.AppendLine("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.6];");
        sb.AppendLine("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9];");
        for (int i = 0; i < m.Namespaces.Count; i++)
        {
            string? ns = m.Namespaces[i];
            var label = new List<string> { NsLabel(ns) };
            if (m.Notes.TryGetValue(ns ?? "", out var notes)) label.AddRange(notes);
            sb.AppendLine($"  subgraph cluster_{i} {{");
            sb.AppendLine($"    label={DotQ(string.Join("\n", label))}; labeljust=l; style=\"rounded,filled\"; fillcolor=\"{(ns == null ? "#eef3fb" : "#f4f4f4")}\"; color=\"#8899aa\";");
            foreach (var n in m.Order.Where(n => n.Ns == ns))
            {
                string shape = n.Kind switch { "bridge" => "shape=box, style=\"filled\", fillcolor=\"#ffe9b3\"", "vxlan" => "shape=hexagon, fillcolor=\"#d9f2d9\"", _ => "" };
                string text = n.Kind is "bridge" or "vxlan" ? $"{n.Name} ({n.Kind})" : n.Name;
                sb.AppendLine($"    {n.Id} [label={DotQ(string.Join("\n", n.Lines.Prepend(text)))}{(shape.Length > 0 ? ", " + shape : "")}];");
            }
            sb.AppendLine("  }");
        }
        foreach (var v in m.Vteps.Values)
            sb.AppendLine($"  {v.Id} [label={DotQ(v.Name + "\nremote VTEP")}, shape=ellipse, style=\"dashed\"];");
        foreach (var (a, b, label, style) in m.Edges)
        {
            string attrs = style switch
            {
                "cable" => $"label={DotQ(label)}, penwidth=2, color=\"#3366aa\"",
                "tunnel" => $"label={DotQ(label)}, style=dashed, penwidth=2, color=\"#338833\"",
                _ => "color=\"#999999\"",
            };
            sb.AppendLine($"  {a} -- {b} [{attrs}];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    public static string ToMermaid(TopologyDocument doc)
    {
        var m = Build(doc);
        var sb = new StringBuilder();
        sb.AppendLine("flowchart LR");
        for (int i = 0; i < m.Namespaces.Count; i++)
        {
            string? ns = m.Namespaces[i];
            var label = new List<string> { NsLabel(ns) };
            if (m.Notes.TryGetValue(ns ?? "", out var notes)) label.AddRange(notes);
            sb.AppendLine($"  subgraph ns{i}[\"{MdQ(string.Join("<br/>", label))}\"]");
            foreach (var n in m.Order.Where(n => n.Ns == ns))
            {
                string text = MdQ(string.Join("<br/>", n.Lines.Prepend(n.Kind is "bridge" or "vxlan" ? $"{n.Name} ({n.Kind})" : n.Name)));
                sb.AppendLine(n.Kind switch
                {
                    "bridge" => $"    {n.Id}[[\"{text}\"]]",
                    "vxlan" => $"    {n.Id}{{{{\"{text}\"}}}}",
                    _ => $"    {n.Id}(\"{text}\")",
                });
            }
            sb.AppendLine("  end");
        }
        foreach (var v in m.Vteps.Values) sb.AppendLine($"  {v.Id}((\"{MdQ(v.Name)}<br/>remote VTEP\"))");
        foreach (var (a, b, label, style) in m.Edges)
            sb.AppendLine(style switch
            {
                "cable" => $"  {a} ===|{label}| {b}",
                "tunnel" => $"  {a} -.-|{MdQ(label)}| {b}",
                _ => $"  {a} --- {b}",
            });
        return sb.ToString();
    }

    /// <summary>SVG from Graphviz's `dot` (GraphvizMissing when it is not installed).</summary>
    public static string ToSvg(TopologyDocument doc)
    {
        string dot = ToDot(doc);
        var psi = new ProcessStartInfo("dot") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-Tsvg");
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw Messages.Error("GraphvizMissing", VNetErrorCategory.NotImplemented, "dot");
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEndAsync();
            p.StandardInput.Write(dot);
            p.StandardInput.Close();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw Messages.Error("GraphvizFailed", VNetErrorCategory.InvalidOperation, "dot", p.ExitCode, err.Result.Trim());
            return output.Result;
        }
    }

    private static string DotQ(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
    private static string MdQ(string s) => s.Replace("\"", "#quot;").Replace("|", "#124;");
}
