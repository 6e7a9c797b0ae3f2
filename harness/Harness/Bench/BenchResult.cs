namespace Harness.Bench;

/// <summary>Boot-to-SSH-ready of one arch: the harness's launcher and the plain qemu + ssh loop, N boots each.</summary>
/// <param name="Arch">The arch booted.</param>
/// <param name="Accelerator">kvm or tcg (both ways use the same).</param>
/// <param name="Harness">Wall time of GuestLauncher.RunAsync (image lookup, QEMU, console watch, SSH session).</param>
/// <param name="Plain">Wall time of the bash loop's boot: QEMU started in the background, ssh ... true retried.</param>
/// <param name="Phases">Phase offsets from QEMU start as the harness saw them (kernel, init, guest-ready, ssh-ready).</param>
public sealed record BootBench(string Arch, string Accelerator, Spread Harness, Spread Plain, IReadOnlyDictionary<string, Spread> Phases)
{
    /// <summary>Harness median over plain median; the target is at most 1.1.</summary>
    public double Ratio => Harness.Median / Plain.Median;
}

/// <summary>
/// Programs verified over SSH on one arch. The harness runs the loader once over every program in one session;
/// the plain way opens one ssh connection per program.
/// </summary>
/// <param name="Arch">The arch.</param>
/// <param name="Programs">How many programs were loaded (one --prog each).</param>
/// <param name="HarnessSeconds">Host wall time of the harness's one loader command (of 3 repetitions, the one with the median overhead).</param>
/// <param name="GuestLoaderSeconds">The same command's time inside the guest (/proc/uptime before and after).</param>
/// <param name="PlainSeconds">Host wall time of the bash loop, one ssh per program.</param>
public sealed record ProgramBench(string Arch, int Programs, double HarnessSeconds, double GuestLoaderSeconds, double PlainSeconds)
{
    public double HarnessProgramsPerSecond => Programs / HarnessSeconds;
    public double PlainProgramsPerSecond => Programs / PlainSeconds;

    /// <summary>What the harness adds per program on top of the loader's own work (SSH, output transfer); target under 10 ms.</summary>
    public double OverheadMillisecondsPerProgram => (HarnessSeconds - GuestLoaderSeconds) * 1000 / Programs;

    /// <summary>What one ssh connection per program costs over the harness's one session, per program.</summary>
    public double PlainExtraMillisecondsPerProgram => (PlainSeconds - HarnessSeconds) * 1000 / Programs;
}

/// <summary>One timed harness command (a warm run, an incremental run, a cold build).</summary>
/// <param name="Name">What was measured, e.g. "warm run".</param>
/// <param name="Command">The command line, to reproduce it.</param>
/// <param name="Seconds">Wall time of the command.</param>
/// <param name="ExitCode">The command's exit code (a mismatch still measures the time).</param>
/// <param name="KernelSeconds">Kernel stage time per arch and variant from the run's results.json, when it wrote one.</param>
/// <param name="TargetSeconds">The target for this figure, when there is one.</param>
public sealed record CommandBench(string Name, string Command, double Seconds, int ExitCode,
    IReadOnlyDictionary<string, double> KernelSeconds, double? TargetSeconds = null);

/// <summary>Everything one `harness bench` measured; written as bench.json and bench.md.</summary>
public sealed record BenchResult
{
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required string Machine { get; init; }
    public required int BootsPerWay { get; init; }
    public IReadOnlyList<BootBench> Boots { get; init; } = [];
    public IReadOnlyList<ProgramBench> Programs { get; init; } = [];
    public IReadOnlyList<CommandBench> Commands { get; init; } = [];

    /// <summary>Remarks on the figures (cold builds not asked for, a run that exited 1).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Steps that failed and were not measured, with the reason; the command then exits 2.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}

/// <summary>The targets of the benchmark (issue 6).</summary>
public static class BenchTargets
{
    public const double BootRatio = 1.1;
    public const double OverheadMillisecondsPerProgram = 10;
    public const double PatchToVerdictSeconds = 60;
}
