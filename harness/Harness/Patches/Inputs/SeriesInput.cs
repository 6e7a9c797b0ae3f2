using Harness.Patches.Import;

namespace Harness.Patches.Inputs;

/// <summary>What <c>--series</c> named, told apart by content (a directory is a directory).</summary>
public enum SeriesInputKind
{
    /// <summary>A directory with a 'series' file and the patches it lists.</summary>
    Directory,

    /// <summary>One or more patch mails with clean diffs, as `b4 am` or `git format-patch --stdout` write them.</summary>
    Mbox,

    /// <summary>A patch mail copied from a web archive (whitespace mangled), recovered by the importer.</summary>
    ArchiveCopy,
}

/// <summary>
/// How the series of a run was read: the user's input (never modified), what it was, and the series directory
/// made from it under the run's directory, with each patch's subject and, for an archive copy, how its hunks were recovered.
/// </summary>
/// <param name="Kind">What the input was.</param>
/// <param name="Source">The user's file or directory, absolute.</param>
/// <param name="Sha256">SHA-256 of the user's file; empty for a directory (its patches are hashed one by one).</param>
/// <param name="Directory">The series directory the run applies (the input itself for a directory).</param>
/// <param name="Patches">The patches in apply order.</param>
/// <param name="Notes">What a reviewer should know about the input: a skipped cover letter, patches of the thread not in it.</param>
public sealed record SeriesInput(
    SeriesInputKind Kind,
    string Source,
    string Sha256,
    string Directory,
    IReadOnlyList<SeriesInputPatch> Patches,
    IReadOnlyList<string> Notes)
{
    /// <summary>Where a patch came from, for error messages: "split from foo.mbox, message 2 at line 120 ('[PATCH 2/3] ...')".</summary>
    public string? Origin(string patchName) =>
        Kind == SeriesInputKind.Directory || Patches.FirstOrDefault(p => p.Name == patchName) is not { } patch
            ? null
            : $"{(Kind == SeriesInputKind.Mbox ? "split" : "imported")} from {Source}, message {patch.Message} at line {patch.Line} ('{patch.Subject}')";
}

/// <summary>One patch of a series input.</summary>
/// <param name="Name">The file name in the series directory, as `git format-patch` names it (0001-subject.patch).</param>
/// <param name="Subject">The mail's subject with its [PATCH n/m] prefix.</param>
/// <param name="Number">n of [PATCH n/m], null when unnumbered.</param>
/// <param name="Total">m of [PATCH n/m], null when unnumbered.</param>
/// <param name="Message">1-based position of the mail in the input.</param>
/// <param name="Line">1-based line of the input where the mail starts.</param>
/// <param name="Imported">For an archive copy: where each hunk was re-placed and what differed; empty otherwise.</param>
public sealed record SeriesInputPatch(
    string Name,
    string Subject,
    int? Number,
    int? Total,
    int Message,
    int Line,
    IReadOnlyList<HunkReport> Imported);
