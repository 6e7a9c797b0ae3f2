namespace Harness.Patches;

/// <summary>How a patch went onto the tree.</summary>
public enum PatchApplication
{
    /// <summary>Every hunk applied where its header says.</summary>
    Clean,

    /// <summary>Every hunk applied, some at other lines than their headers say (see the offsets).</summary>
    Offset,

    /// <summary>A plain apply failed; git am's 3-way merge (using the blobs the patch names) succeeded.</summary>
    ThreeWay,
}

/// <summary>One patch of a variant: how it applied and the commit it produced (later stages bisect with these).</summary>
public sealed record PatchOutcome(string Name, PatchApplication Application, string Commit, IReadOnlyList<HunkOffset> Offsets, bool FromCache)
{
    public string Summary => Application switch
    {
        PatchApplication.Clean => "clean",
        PatchApplication.Offset => "offset: " + string.Join(", ", Offsets.Select(o => $"{o.File} hunk #{o.Hunk} at {o.AppliedAtLine} ({o.OffsetLines:+#;-#;0} lines)")),
        PatchApplication.ThreeWay => "needed a 3-way merge",
        _ => Application.ToString(),
    };
}

/// <summary>
/// A kernel source variant: "patched" (the whole series) or "baseline" (the series minus the patches
/// under review). <paramref name="TreeHash"/> identifies its sources whatever the commit metadata.
/// </summary>
public sealed record AppliedVariant(string Name, string Commit, string TreeHash, IReadOnlyList<PatchOutcome> Patches)
{
    public const string Patched = "patched";
    public const string Baseline = "baseline";
}
