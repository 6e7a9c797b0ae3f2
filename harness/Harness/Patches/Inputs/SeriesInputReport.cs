using System.Text.Json.Serialization;
using Harness.Patches.Import;

namespace Harness.Patches.Inputs;

/// <summary>
/// results.json's inputs.series_input: what --series was, and for every patch how it got into the tree
/// (split from an mbox or recovered by the importer, then applied clean, with offsets or by a 3-way merge).
/// </summary>
public sealed record SeriesInputReport
{
    public required SeriesInputKind Kind { get; init; }

    /// <summary>The user's file or directory.</summary>
    public required string Source { get; init; }

    /// <summary>SHA-256 of the user's file; empty for a directory.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The series directory the run applied (under the run's directory for a file).</summary>
    public required string Directory { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    public required IReadOnlyList<PatchInputReport> Patches { get; init; }

    /// <summary>
    /// The report of a run's series: the input (null for a directory given as is) joined with how the patched
    /// variant's patches applied (null when the run stopped before applying).
    /// </summary>
    public static SeriesInputReport For(SeriesInput? input, string seriesDirectory, AppliedVariant? applied)
    {
        var patches = input?.Patches ?? DirectoryPatches(seriesDirectory);
        return new SeriesInputReport
        {
            Kind = input?.Kind ?? SeriesInputKind.Directory,
            Source = input?.Source ?? seriesDirectory,
            Sha256 = input?.Sha256 ?? "",
            Directory = seriesDirectory,
            Notes = input?.Notes ?? [],
            Patches = patches.Select(p => PatchInputReport.For(p, applied?.Patches.FirstOrDefault(o => o.Name == p.Name))).ToArray(),
        };
    }

    private static IReadOnlyList<SeriesInputPatch> DirectoryPatches(string directory)
    {
        try
        {
            return SeriesReader.Read(directory).Patches
                .Select((p, i) => new SeriesInputPatch(p.Name, SubjectOf(p.Path), null, null, i + 1, p.Line, [])).ToArray();
        }
        catch (Errors.BadInputException)
        {
            return [];
        }
    }

    private static string SubjectOf(string patchFile) =>
        File.ReadLines(patchFile).Take(50).FirstOrDefault(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))?["Subject:".Length..].Trim() ?? "";
}

/// <summary>One patch of the series: where it came from and how it applied.</summary>
public sealed record PatchInputReport
{
    public required string Name { get; init; }
    public string Subject { get; init; } = "";
    public int? Number { get; init; }
    public int? Total { get; init; }

    /// <summary>1-based position of the patch's mail in an mbox or archive copy; null in runs before this field.</summary>
    public int? Message { get; init; }

    /// <summary>clean, offset or three-way; null when it was not applied (the run stopped before).</summary>
    public PatchApplication? Applied { get; init; }

    /// <summary>Hunks git applied at other lines than their headers say.</summary>
    public IReadOnlyList<HunkOffset> Offsets { get; init; } = [];

    /// <summary>For an imported archive copy: every hunk's placement, re-indentation and context differences.</summary>
    public IReadOnlyList<HunkReport> Imported { get; init; } = [];

    public static PatchInputReport For(SeriesInputPatch patch, PatchOutcome? outcome) => new()
    {
        Name = patch.Name,
        Subject = patch.Subject,
        Number = patch.Number,
        Total = patch.Total,
        Message = patch.Message,
        Applied = outcome?.Application,
        Offsets = outcome?.Offsets ?? [],
        Imported = patch.Imported,
    };

    /// <summary>"clean", "offsets: kernel/bpf/verifier.c hunk #2 +10", "3-way merge", each with "imported: ..." in front for an archive copy.</summary>
    [JsonIgnore]
    public string How
    {
        get
        {
            var applied = Applied switch
            {
                PatchApplication.Clean => "clean",
                PatchApplication.Offset => "offsets: " + string.Join(", ", Offsets.Select(o => $"{o.File} hunk #{o.Hunk} {o.OffsetLines:+#;-#;0}")),
                PatchApplication.ThreeWay => "3-way merge",
                _ => "not applied",
            };
            return Imported.Count == 0 ? applied : $"imported ({ImportSummary(Imported)}), then {applied}";
        }
    }

    /// <summary>"9 hunks re-placed: 7 with offsets (+4..+12), 9 re-indented, 2 context lines differed".</summary>
    public static string ImportSummary(IReadOnlyList<HunkReport> hunks)
    {
        var moved = hunks.Where(h => h.Offset != 0).ToArray();
        var parts = new List<string> { $"{hunks.Count} hunk{(hunks.Count == 1 ? "" : "s")} re-placed" };
        if (moved.Length > 0) parts.Add($"{moved.Length} with offsets ({moved.Min(h => h.Offset):+0;-0;0}..{moved.Max(h => h.Offset):+0;-0;0})");
        var reindented = hunks.Count(h => h.Reindented);
        if (reindented > 0) parts.Add($"{reindented} re-indented");
        var differing = hunks.Sum(h => h.DifferingContext.Count);
        if (differing > 0) parts.Add($"{differing} context line{(differing == 1 ? "" : "s")} differed");
        var reinterpreted = hunks.Sum(h => h.Reinterpreted.Count);
        if (reinterpreted > 0) parts.Add($"{reinterpreted} marker-like context line{(reinterpreted == 1 ? "" : "s")}");
        return string.Join(", ", parts);
    }
}
