namespace Harness.Patches.Import;

/// <summary>
/// What <see cref="PatchImporter"/> produced: the clean patch text (one or more messages in
/// `git format-patch` mail form, ready for `git am`) and, per hunk, where it was placed and what differed.
/// </summary>
public sealed record ImportResult(string Patch, IReadOnlyList<ImportedMessage> Messages)
{
    /// <summary>Every hunk of every message, in input order.</summary>
    public IReadOnlyList<HunkReport> Hunks => Messages.SelectMany(m => m.Hunks).ToArray();

    /// <summary>The per-hunk report as the CLI prints it to stderr, one block per hunk.</summary>
    public string Report() => string.Join("", Hunks.Select(h => h.Describe() + "\n"));
}

/// <summary>One imported mail: its subject, the author it will be committed as, and its hunks.</summary>
public sealed record ImportedMessage(string Subject, string Author, IReadOnlyList<HunkReport> Hunks, IReadOnlyList<string> Warnings);

/// <summary>Where one hunk landed in the tree and how its old side differed from the tree's lines.</summary>
/// <param name="File">Path inside the tree (the b/ side of the diff header).</param>
/// <param name="Number">1-based hunk number within the file, as in the input.</param>
/// <param name="OriginalHeader">The `@@ ... @@` line as written in the input.</param>
/// <param name="Header">The recomputed `@@ ... @@` line that the output carries.</param>
/// <param name="PlacedAtLine">1-based line of the tree file where the hunk's old side starts.</param>
/// <param name="Offset">PlacedAtLine minus the line the input header claimed.</param>
/// <param name="DifferingContext">Context lines that differ from the tree (the tree's line is the one emitted).</param>
/// <param name="Reinterpreted">Lines whose leading '+'/'-' was content, not a marker (resolved by the header counts).</param>
/// <param name="Reindented">True when added lines had lost their indentation and it was rebuilt in kernel style.</param>
public sealed record HunkReport(
    string File,
    int Number,
    string OriginalHeader,
    string Header,
    int PlacedAtLine,
    int Offset,
    IReadOnlyList<ContextDifference> DifferingContext,
    IReadOnlyList<string> Reinterpreted,
    bool Reindented)
{
    public string Describe()
    {
        var text = $"hunk {Number} of {File} placed at line {PlacedAtLine}, offset {Offset:+0;-0;0}, " +
                   $"{DifferingContext.Count} context line{(DifferingContext.Count == 1 ? "" : "s")} differed" +
                   (Reindented ? ", added lines re-indented" : "");
        foreach (var d in DifferingContext)
            text += $"\n  line {d.TreeLine}: tree: {d.Tree.Trim()} / patch: {d.Patch.Trim()}";
        foreach (var r in Reinterpreted)
            text += $"\n  context line starting with a marker character: {r.Trim()}";
        return text;
    }
}

/// <summary>A context line of the patch that is not what the tree has at that place.</summary>
public sealed record ContextDifference(int TreeLine, string Tree, string Patch);
