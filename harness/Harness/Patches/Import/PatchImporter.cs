using Harness.Errors;

namespace Harness.Patches.Import;

/// <summary>
/// `harness patch import`: turns a whitespace-mangled mail archive copy of a patch, or an mbox, into clean
/// patches in `git format-patch` mail form that `git am` accepts. Each hunk is located in the tree by its old
/// side; context and removed lines are emitted as the tree has them and added lines get kernel indentation
/// back. Pure: reads the tree's files, writes nothing.
/// </summary>
public static partial class PatchImporter
{
    /// <summary>Imports every patch mail in <paramref name="text"/> against the tree at <paramref name="treeDirectory"/>.</summary>
    /// <param name="text">The mangled archive copy or the mbox.</param>
    /// <param name="treeDirectory">Kernel source directory the patches are meant for.</param>
    /// <param name="source">Name of the input for error messages (its path).</param>
    /// <exception cref="BadInputException">Empty input, not a patch, a file missing from the tree, a hunk that cannot be placed.</exception>
    public static ImportResult Import(string text, string treeDirectory, string source = "<input>")
    {
        if (!Directory.Exists(treeDirectory))
            throw new BadInputException($"--tree {treeDirectory}: no such directory. Give the kernel source tree the patch is meant for.");
        var messages = MailParser.Parse(text, source);
        var files = new TreeFiles(treeDirectory);
        var output = new System.Text.StringBuilder();
        var imported = new List<ImportedMessage>();
        foreach (var (message, index) in messages.Select((m, i) => (m, i + 1)))
        {
            List<FileResult> results;
            try
            {
                var diffs = MangledDiffParser.Parse(message.DiffLines, source);
                results = diffs.Select(d => ImportFile(d, files, source)).ToList();
            }
            catch (BadInputException e) when (messages.Count > 1 || message.Subject.Length > 0)
            {
                // In a series, say which mail the hunk belongs to: the file and hunk alone do not tell patch 2 from patch 5.
                throw new BadInputException($"{e.Message}\nIn patch mail {index} of {messages.Count}: '{message.Subject}'.", e);
            }
            // A later message of a series applies on top of the earlier ones.
            foreach (var r in results) files.Update(r.Path, r.NewContent);
            output.Append(PatchWriter.Write(message, results));
            imported.Add(new ImportedMessage(message.Subject, $"{message.AuthorName} <{message.AuthorEmail}>",
                results.SelectMany(r => r.Reports).ToArray(), message.Warnings));
        }
        return new ImportResult(output.ToString(), imported);
    }
}

/// <summary>The tree's file contents as the importer sees them: on disk, then as earlier messages changed them.</summary>
internal sealed class TreeFiles(string root)
{
    private readonly Dictionary<string, FileContent?> _files = new(StringComparer.Ordinal);

    public FileContent? Get(string path)
    {
        if (_files.TryGetValue(path, out var known)) return known;
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal) || !File.Exists(full)) return _files[path] = null;
        return _files[path] = FileContent.FromText(File.ReadAllText(full));
    }

    public void Update(string path, FileContent? content) => _files[path] = content;
}

/// <summary>A text file as lines, remembering whether it ended with a newline (git hashes the exact bytes).</summary>
internal sealed record FileContent(IReadOnlyList<string> Lines, bool EndsWithNewline)
{
    public static FileContent FromText(string text)
    {
        if (text.Length == 0) return new FileContent([], true);
        var endsWithNewline = text.EndsWith('\n');
        var lines = (endsWithNewline ? text[..^1] : text).Split('\n');
        return new FileContent(lines, endsWithNewline);
    }

    public string ToText() => Lines.Count == 0 ? "" : string.Join("\n", Lines) + (EndsWithNewline ? "\n" : "");
}
