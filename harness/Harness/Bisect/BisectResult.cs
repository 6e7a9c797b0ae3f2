using Harness.Reports;

namespace Harness.Bisect;

/// <summary>One prefix as a bisect tested it: the patch it adds, its patches, the kernel, and how its programs loaded.</summary>
public sealed record BisectPrefix
{
    public required string Step { get; init; }
    public required IReadOnlyList<string> Patches { get; init; }
    public string Kernel { get; init; } = "";

    /// <summary>The infrastructure error that stopped this prefix's guest (boot, SSH, splat), or null.</summary>
    public string? Error { get; init; }
    public int Accepted { get; init; }
    public int Rejected { get; init; }

    /// <summary>Programs with no verifier verdict: the loader could not load them (missing kfunc...) or never ran.</summary>
    public int NotLoaded { get; init; }

    /// <summary>Programs whose load oopsed the kernel (a fault the run pinned on them, not a verdict).</summary>
    public int Oopsed { get; init; }

    /// <summary>The prefix's full run, as results.json stores it (so `harness compare` can diff two prefixes).</summary>
    public string ResultsFile { get; init; } = "";
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];
}

/// <summary>
/// One arch's bisect: every prefix, every program whose result differs between the first prefix and the full series,
/// and the programs that could not be compared (no result on one end), each with why.
/// </summary>
public sealed record ArchBisect(string Arch, IReadOnlyList<BisectPrefix> Prefixes, IReadOnlyList<VerdictAttribution> Changes)
{
    public IReadOnlyList<NotCompared> NotCompared { get; init; } = [];
}

/// <summary>A program with no result on the first prefix or the full series, and why (the overlay's skip reason, say).</summary>
public sealed record NotCompared(string Program, string Reason);

/// <summary>What `harness bisect` found, as bisect.json stores it.</summary>
public sealed record BisectResult
{
    public required string RunId { get; init; }
    public required string Series { get; init; }

    /// <summary>Patches kept in every prefix (--base-with).</summary>
    public IReadOnlyList<string> BaseWith { get; init; } = [];
    public string Reproduce { get; init; } = "";
    public required IReadOnlyList<ArchBisect> Arches { get; init; }

    /// <summary>What --series was and how each patch of the full series applied; null in bisects before this field.</summary>
    public Patches.Inputs.SeriesInputReport? SeriesInput { get; init; }
}
