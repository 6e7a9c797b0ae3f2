using Harness.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Config;

/// <summary>
/// Reads a YAML file into a tree of <see cref="YamlNodeReader"/>s that know their file and position,
/// so every config error can say "file:line:column: key 'x' ..." and how to fix it.
/// Binding is explicit (no reflection): unknown keys and wrong types are errors, never ignored.
/// </summary>
public sealed class YamlNodeReader
{
    private readonly YamlNode _node;

    private readonly string? _where;

    private YamlNodeReader(string file, string path, YamlNode node, string? where = null)
    {
        File = file;
        Path = path;
        _node = node;
        _where = where;
    }

    /// <summary>The file this node came from.</summary>
    public string File { get; }

    /// <summary>Dotted path of keys from the root, e.g. "qemu.machine" or "arches[1]".</summary>
    public string Path { get; }

    public string Where => _where ?? $"{File}:{_node.Start.Line}:{_node.Start.Column}";

    /// <summary>
    /// This mapping with each part of <paramref name="overrides"/> put in place of its own keys (all the part's Keys are
    /// replaced together, later parts win), for a file
    /// that composes a config from parts (a matrix cell: defaults plus one entry per axis). Every value keeps its own
    /// position, so an error still points at the line that holds it; the composed mapping itself reports this one's.
    /// Its keys are named from the root ('series', not 'defaults.series'): a value may come from any of the parts.
    /// </summary>
    public YamlNodeReader With(IEnumerable<(YamlNodeReader Entry, IReadOnlyCollection<string> Keys)> overrides)
    {
        var children = Mapping.Children.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (entry, keys) in overrides)
        {
            // The keys of a part go together (selftests with their expectations): what the part leaves out is unset, not inherited.
            foreach (var key in keys) children.Remove(new YamlScalarNode(key));
            foreach (var (key, value) in entry.Mapping.Children)
                if (keys.Contains((key as YamlScalarNode)?.Value ?? "")) children[key] = value;
        }
        return new YamlNodeReader(File, "", new YamlMappingNode(children), Where);
    }

    public static YamlNodeReader Load(string file)
    {
        if (!System.IO.File.Exists(file))
            throw new BadInputException($"{file}: file not found. Check the path (relative paths are taken from the current directory).");
        return Parse(file, System.IO.File.ReadAllText(file));
    }

    public static YamlNodeReader Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new BadInputException($"{file}:{e.Start.Line}:{e.Start.Column}: YAML syntax error: {e.Message.TrimEnd('.')}. Fix the YAML at that position.", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (no position) when the text ends inside a [ list or { mapping.
            throw new BadInputException($"{file}:{UnclosedBracketLine(text)}: YAML syntax error: a '[' list or '{{' mapping opened here is not closed " +
                                        "before the end of the file. Close it (']' or '}') on the same line.", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            throw new BadInputException($"{file}: the file is empty. It must hold a YAML mapping of keys.");
        return new YamlNodeReader(file, "", stream.Documents[0].RootNode);
    }

    /// <summary>The line where the flow collection left open at the end of <paramref name="text"/> starts (1-based).</summary>
    private static int UnclosedBracketLine(string text)
    {
        var open = new Stack<int>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            foreach (var c in comment >= 0 ? line[..comment] : line)
            {
                if (c is '[' or '{') open.Push(i + 1);
                else if (c is ']' or '}' && open.Count > 0) open.Pop();
            }
        }
        return open.Count > 0 ? open.Reverse().First() : lines.Length;
    }

    public BadInputException Error(string message) =>
        new($"{Where}: {(Path.Length > 0 ? $"'{Path}' " : "")}{message}");

    private YamlMappingNode Mapping => _node as YamlMappingNode
        ?? throw Error($"must be a mapping of keys (found {Describe(_node)}). Put its keys on the lines below it, indented.");

    /// <summary>Refuses keys other than <paramref name="known"/>, naming the ones that are allowed.</summary>
    public YamlNodeReader OnlyKeys(params string[] known)
    {
        foreach (var key in Mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
                throw new BadInputException(
                    $"{File}:{key.Start.Line}:{key.Start.Column}: unknown key '{Join(Path, name)}'. Allowed here: {string.Join(", ", known)}.");
        }
        return this;
    }

    public bool Has(string key) => Child(key) is not null;

    /// <summary>True for a mapping node (a list item may be a value or a mapping).</summary>
    public bool IsMapping => _node is YamlMappingNode;

    public YamlNodeReader? Optional(string key) => Child(key) is { } n ? new YamlNodeReader(File, Join(Path, key), n) : null;

    public YamlNodeReader Required(string key) =>
        Optional(key) ?? throw Error($"is missing the required key '{key}'. Add it.");

    /// <summary>A required value; an empty one (`key:` or `key: ""`) is refused like a missing one, since nothing could use it.</summary>
    public string String(string key)
    {
        var node = Required(key);
        var value = node.AsString();
        return value.Length > 0 ? value : throw node.Error("is empty. Give it a value.");
    }

    public string? OptionalString(string key) => Optional(key)?.AsString();

    public int Int(string key, int fallback) => Optional(key)?.AsInt() ?? fallback;

    public bool Bool(string key, bool fallback) => Optional(key)?.AsBool() ?? fallback;

    public IReadOnlyList<string> StringList(string key) =>
        Optional(key)?.Items().Select(i => i.AsString()).ToArray() ?? [];

    public IReadOnlyDictionary<string, YamlNodeReader> Entries() =>
        Mapping.Children.ToDictionary(
            kv => (kv.Key as YamlScalarNode)?.Value ?? "",
            kv => new YamlNodeReader(File, Join(Path, (kv.Key as YamlScalarNode)?.Value ?? ""), kv.Value));

    public IReadOnlyList<YamlNodeReader> Items()
    {
        if (_node is not YamlSequenceNode seq) throw Error($"must be a list (found {Describe(_node)}). Write it as [a, b] (or [] for none).");
        return seq.Children.Select((n, i) => new YamlNodeReader(File, $"{Path}[{i}]", n)).ToArray();
    }

    public string AsString()
    {
        if (_node is not YamlScalarNode { Value: { } value }) throw Error($"must be a single value (found {Describe(_node)}). Give one value.");
        return value;
    }

    public int AsInt() => int.TryParse(AsString(), out var n) ? n : throw Error($"must be a whole number (found '{AsString()}'). Write it in digits.");

    public bool AsBool() => AsString() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var s => throw Error($"must be true or false (found '{s}')."),
    };

    private YamlNode? Child(string key) =>
        Mapping.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is not YamlScalarNode { Value: null, Tag.IsEmpty: true } ? n : null;

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };
}
