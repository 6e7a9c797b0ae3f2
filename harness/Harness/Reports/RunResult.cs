using System.Text.Json.Serialization;
using Harness.Verdicts;

namespace Harness.Reports;

/// <summary>
/// The whole run, as results.json stores it and every report renders it: inputs (with hashes), tool
/// versions, per arch and kernel the timings, boot phases and every program's expectation, outcome and
/// load result (verdict, log, statistics), and what the series changed relative to the baseline.
/// </summary>
public sealed record RunResult
{
    /// <summary>Bumped when a field changes meaning; readers check it.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The run's name and output directory name, e.g. "20250518-142301".</summary>
    public required string RunId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The command line that reproduces this run.</summary>
    public string Reproduce { get; init; } = "";
    public required RunInputs Inputs { get; init; }
    public required RunVersions Versions { get; init; }

    /// <summary>One entry per (arch, kernel) that was attempted, in run order.</summary>
    public required IReadOnlyList<ArchRun> Runs { get; init; }

    /// <summary>Programs whose verdict, errno or error message differs between baseline and patched, per arch.</summary>
    public IReadOnlyList<VerdictChange> BaselineChanges { get; init; } = [];

    /// <summary>Ctrl-C or SIGTERM stopped the run: <see cref="Runs"/> holds only the kernels tested to the end.</summary>
    public bool Aborted { get; init; }

    /// <summary>Where the interrupt landed ("x86_64 boot", "- build"), the last stage that reported progress; null when not aborted.</summary>
    public string? AbortedDuring { get; init; }

    /// <summary>Every program outcome of every run.</summary>
    [JsonIgnore]
    public IEnumerable<(ArchRun Run, ProgramResult Program)> AllPrograms => Runs.SelectMany(r => r.Programs.Select(p => (r, p)));
}

/// <summary>A file the run consumed, with its SHA-256 (lowercase hex), so a report says exactly what was tested.</summary>
public sealed record InputFile(string Path, string Sha256);

/// <summary>What went into the run.</summary>
public sealed record RunInputs
{
    /// <summary>The kernel tree (path or "debian:linux-source-6.12") and the commit tested.</summary>
    public required string Tree { get; init; }
    public string TreeCommit { get; init; } = "";

    /// <summary>The series directory name, e.g. "async-kfunc-suffixes".</summary>
    public required string Series { get; init; }

    /// <summary>The series' patches in apply order.</summary>
    public IReadOnlyList<InputFile> Patches { get; init; } = [];

    /// <summary>Run config, arch configs, Kconfig fragments, expectations.yaml.</summary>
    public IReadOnlyList<InputFile> ConfigFiles { get; init; } = [];

    /// <summary>The selftest objects (or sources) loaded.</summary>
    public IReadOnlyList<InputFile> Selftests { get; init; } = [];

    /// <summary>What the baseline kernel is, e.g. "series without 0003-bpf-implement-__async...patch", or "" when none ran.</summary>
    public string Baseline { get; init; } = "";

    /// <summary>What --series was (directory, mbox, web-archive copy) and how every patch applied; null in runs before this field.</summary>
    public Patches.Inputs.SeriesInputReport? SeriesInput { get; init; }

    /// <summary>What counted as large verification-cost growth (baseline → patched) in summary.md.</summary>
    public Compare.CostThresholds CostGrowth { get; init; } = Compare.CostThresholds.Default;
}

/// <summary>A tool and the version it reported (first line of --version).</summary>
public sealed record ToolVersion(string Name, string Version);

/// <summary>Versions of everything that could change a result.</summary>
public sealed record RunVersions
{
    public string HarnessGitSha { get; init; } = "";
    public IReadOnlyList<ToolVersion> Tools { get; init; } = [];
}

/// <summary>How long one pipeline stage took on one arch; Cached when its output was reused.</summary>
public sealed record StageTiming(string Stage, double Seconds, bool Cached = false);

/// <summary>A boot milestone (qemu started, kernel banner, init, sshd up) and seconds since qemu started.</summary>
public sealed record BootPhase(string Name, double Seconds);

/// <summary>One (arch, kernel) of the run: the kernel booted, the stages' timings and every program's result.</summary>
public sealed record ArchRun
{
    public required string Arch { get; init; }
    public required KernelRole Kernel { get; init; }

    /// <summary>uname -r of the booted kernel, empty when it never booted.</summary>
    public string KernelRelease { get; init; } = "";

    /// <summary>"kvm" or "tcg" (with why, when KVM was tried and dropped), or "ssh" for a real board.</summary>
    public string Accelerator { get; init; } = "";

    /// <summary>Where the programs ran when not in a QEMU guest: "ssh NAME (host:port)" for a board; absent for QEMU.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];
    public IReadOnlyList<BootPhase> BootPhases { get; init; } = [];

    /// <summary>The infrastructure error that stopped this arch (build, boot, SSH, splat), or null.</summary>
    public string? Error { get; init; }

    /// <summary>What a reader should know that is not an error: known kernel splats seen while loading, with why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<ProgramResult> Programs { get; init; } = [];

    /// <summary>"x86_64 patched", the name suites and headings use.</summary>
    [JsonIgnore]
    public string Name => $"{Arch} {Kernel.ToString().ToLowerInvariant()}";

    public int Count(OutcomeStatus status) => Programs.Count(p => p.Outcome.Status == status);
}
