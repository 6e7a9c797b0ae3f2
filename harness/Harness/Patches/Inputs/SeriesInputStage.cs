using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Harness.Errors;
using Harness.Patches.Import;
using Harness.Pipeline;
using Harness.Tree;

namespace Harness.Patches.Inputs;

/// <summary>
/// Stage 1b: when <c>--series</c> named a file, turn it into a series directory under the run's directory
/// (RUN/series/NAME: a 'series' file and one `git format-patch` file per patch). An mbox is split message by
/// message, byte for byte; a web-archive copy (or an mbox whose diffs lost their whitespace) goes through the
/// importer, which needs the tree at the base commit: only the files the patch names are exported from git.
/// The user's file is only read. A directory is used where it is.
/// </summary>
public static partial class SeriesInputStage
{
    public const string DirectoryName = "series";

    /// <summary>The context to run with: its config's series directory is the one made here, with <c>SeriesInput</c> saying how.</summary>
    public static async Task<StageContext> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var source = config.SeriesDirectory;
        if (!File.Exists(source)) return context;

        var text = await File.ReadAllTextAsync(source, cancellationToken);
        var kind = SeriesInputDetector.DetectText(text, source);
        var (patches, notes) = kind == SeriesInputKind.Mbox
            ? Numbered(MboxSplitter.Split(text, source), source, imported: null)
            : await ImportAsync(context, text, source, cancellationToken);

        var directory = Path.Combine(context.RunDirectory, DirectoryName, Stem(source));
        Directory.CreateDirectory(directory);
        var written = new List<SeriesInputPatch>();
        for (var i = 0; i < patches.Count; i++)
        {
            var (mail, hunks) = patches[i];
            var name = MboxSplitter.FileName(i + 1, mail.Subject);
            await File.WriteAllTextAsync(Path.Combine(directory, name), mail.Text, cancellationToken);
            written.Add(new SeriesInputPatch(name, mail.Subject, mail.Number, mail.Total, mail.Message, mail.Line, hunks));
        }
        await File.WriteAllLinesAsync(Path.Combine(directory, SeriesReader.SeriesFileName), written.Select(p => p.Name), cancellationToken);

        var (baselineWithout, renamed) = MatchBaseline(config.BaselineWithout, written);
        var input = new SeriesInput(kind, source, Sha256(source), directory, written, [.. notes, .. renamed]);
        Report(context, input);
        return context with { Config = config with { SeriesDirectory = directory, SeriesInput = input, BaselineWithout = baselineWithout } };
    }

    /// <summary>The patches in apply order, each with the hunk reports of its import (empty for a plain mbox).</summary>
    private static (IReadOnlyList<(MboxMessage Mail, IReadOnlyList<HunkReport> Hunks)>, IReadOnlyList<string>) Numbered(
        IReadOnlyList<MboxMessage> messages, string source, IReadOnlyList<IReadOnlyList<HunkReport>>? imported)
    {
        var withHunks = messages.Select((m, i) => (Mail: m, Hunks: imported is null ? [] : imported[i])).ToList();
        var (ordered, notes) = MboxSplitter.Patches(messages, source);
        return (ordered.Select(m => withHunks.First(w => ReferenceEquals(w.Mail, m))).ToArray(), notes);
    }

    /// <summary>
    /// Recovers the mails with the importer against the tree's files at the base commit, then splits its output.
    /// The positions (message, line) reported are the user's file's, not the importer output's.
    /// </summary>
    private static async Task<(IReadOnlyList<(MboxMessage Mail, IReadOnlyList<HunkReport> Hunks)>, IReadOnlyList<string>)> ImportAsync(
        StageContext context, string text, string source, CancellationToken cancellationToken)
    {
        var tree = await TreeStage.RunAsync(context, cancellationToken);
        var scratch = Path.Combine(context.RunDirectory, DirectoryName, ".tree-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await ExportAsync(context, tree, PathsNamedIn(text), scratch, cancellationToken);
            var result = PatchImporter.Import(text, scratch, source);
            var originals = MboxSplitter.Split(text, source).Where(m => m.HasDiff).ToArray();
            var recovered = MboxSplitter.Split(result.Patch, source)
                .Select((m, i) => i < originals.Length ? m with { Message = originals[i].Message, Line = originals[i].Line } : m)
                .ToArray();
            return Numbered(recovered, source, result.Messages.Select(m => m.Hunks).ToArray());
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Writes the named files as they are at the tree's base commit (those that exist there) into <paramref name="directory"/>.</summary>
    private static async Task ExportAsync(StageContext context, KernelTree tree, IReadOnlyList<string> paths, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        if (paths.Count == 0) return;
        var runner = PrepareLimit.For(context, "exporting the files the series changes");
        var git = new Git(runner, tree.Repository, context.LogFile("series"));
        var present = (await git.RunAsync(cancellationToken, ["ls-tree", "-r", "--name-only", tree.BaseCommit, "--", .. paths]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (present.Length == 0) return;
        var archive = directory + ".tar";
        try
        {
            await git.RunAsync(cancellationToken, ["archive", "--format=tar", "-o", archive, tree.BaseCommit, "--", .. present]);
            (await runner.RunAsync(Processes.ProcessSpec.Of("tar", "-xf", archive, "-C", directory), cancellationToken)).EnsureSuccess();
        }
        finally
        {
            File.Delete(archive);
        }
    }

    /// <summary>The tree paths a (possibly mangled) patch names in its diff headers.</summary>
    public static IReadOnlyList<string> PathsNamedIn(string text) =>
        DiffPathRegex().Matches(text).SelectMany(m => new[] { m.Groups[1], m.Groups[2], m.Groups[3] }).Where(g => g.Success).Select(g => g.Value)
            .Where(p => p != "/dev/null").Distinct().ToArray();

    /// <summary>
    /// baseline.without names the default series' files; in another version of the series the same change may carry
    /// another number (0002-x in the directory, 0001-x in a one-patch mbox). Unmatched names are left for the apply stage to refuse.
    /// </summary>
    public static (IReadOnlyList<string> Names, IReadOnlyList<string> Notes) MatchBaseline(IReadOnlyList<string> without, IReadOnlyList<SeriesInputPatch> patches)
    {
        var names = new List<string>();
        var notes = new List<string>();
        foreach (var name in without)
        {
            var same = patches.Where(p => MboxSplitter.Unnumbered(p.Name) == MboxSplitter.Unnumbered(name)).ToArray();
            if (patches.Any(p => p.Name == name) || same.Length != 1) names.Add(name);
            else
            {
                names.Add(same[0].Name);
                notes.Add($"baseline leaves out {same[0].Name} (the config's baseline.without names it {name})");
            }
        }
        return (names, notes);
    }

    private static void Report(StageContext context, SeriesInput input)
    {
        var what = input.Kind == SeriesInputKind.Mbox ? "mbox split" : "web archive copy imported";
        context.Progress.Stage("-", "series", $"{input.Source}: {what} into {input.Patches.Count} patch(es) in {input.Directory}");
        foreach (var note in input.Notes) context.Progress.Stage("-", "series", "note: " + note);
        foreach (var patch in input.Patches)
        {
            context.Progress.Stage("-", "series", $"{patch.Name}: {patch.Subject}");
            foreach (var hunk in patch.Imported) context.Progress.Stage("-", "series", "  " + hunk.Describe().Replace("\n", "\n    "));
        }
    }

    private static string Stem(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        return stem.Length == 0 || stem == DirectoryName ? "input" : stem;
    }

    private static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    [GeneratedRegex(@"^(?:diff --git a/(\S+) b/(\S+)|(?:---|\+\+\+) [ab]/(\S+))", RegexOptions.Multiline)]
    private static partial Regex DiffPathRegex();
}
