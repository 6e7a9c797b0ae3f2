namespace Harness.Config;

/// <summary>
/// One validated run: which tree, which series, which arches, where results and caches go.
/// Built from a YAML file plus command-line overrides; every path is absolute.
/// </summary>
public sealed record RunConfig
{
    public required string SourceFile { get; init; }
    public required TreeSource Tree { get; init; }

    /// <summary>
    /// Directory holding a 'series' file and the numbered patches. From the command line it may name an mbox or a
    /// web-archive copy instead: <see cref="Patches.Inputs.SeriesInputStage"/> turns that into a directory under the run's
    /// directory before any stage reads the series (until then the series reader refuses it: it has no 'series' file).
    /// </summary>
    public required string SeriesDirectory { get; init; }

    /// <summary>How an mbox or archive copy became <see cref="SeriesDirectory"/>; null when a directory was given.</summary>
    public Patches.Inputs.SeriesInput? SeriesInput { get; init; }

    /// <summary>Patches of the series left out of the baseline kernel (by default, the patch under review).</summary>
    public required IReadOnlyList<string> BaselineWithout { get; init; }

    /// <summary>Build and test a baseline kernel beside the patched one.</summary>
    public required bool BaselineEnabled { get; init; }
    public required IReadOnlyList<ArchConfig> Arches { get; init; }
    public required string SelftestsDirectory { get; init; }
    public required string? ExpectationsFile { get; init; }

    /// <summary>Selftests of the tree under test run beside the series' own (run.yaml's <c>tree-suites:</c>, <c>run --tree-suite</c>); none by default.</summary>
    public IReadOnlyList<TreeSuite> TreeSuites { get; init; } = [];
    public required string OutputDirectory { get; init; }
    public required string CacheDirectory { get; init; }
    public required string KconfigDirectory { get; init; }

    /// <summary>make target for the starting config (tinyconfig, defconfig).</summary>
    public required string KconfigBase { get; init; }

    /// <summary>Fragments (names under <see cref="KconfigDirectory"/>) for every arch.</summary>
    public required IReadOnlyList<string> KconfigFragments { get; init; }
    public required Timeouts Timeouts { get; init; }

    /// <summary>When a program's verification cost (baseline → patched) counts as large growth; run.yaml's <c>cost-growth:</c>.</summary>
    public Compare.CostThresholds CostGrowth { get; init; } = Compare.CostThresholds.Default;

    /// <summary>Boards (target kind ssh) that replace the QEMU guest for their (arch, kernel); none by default.</summary>
    public IReadOnlyList<global::Harness.Boards.BoardTarget> Boards { get; init; } = [];

    /// <summary>How many times a program that is not as expected is loaded again (flakes); 0 turns retries off.</summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>How many times one kernel's guest is rebooted after it died or hung during the tests, to go on with the programs left.</summary>
    public int Reboots { get; init; } = DefaultReboots;

    /// <summary>
    /// "object.bpf.o:program" the in-guest loader stops before on every kernel, until /tmp/harness-hold is removed in
    /// the guest (`run --hold-before`, no config key: it needs a person or a test at the other end). Null: never.
    /// </summary>
    public string? HoldBefore { get; init; }

    /// <summary>Which programs the run loads (run -t/-a/-b/-d/--denylist, as test_progs); every program by default.</summary>
    public Selection.ProgramFilter Filter { get; init; } = Selection.ProgramFilter.All;

    public const int DefaultRetries = 2;
    public const int DefaultReboots = 3;
}

/// <summary>Where the kernel source comes from.</summary>
public abstract record TreeSource
{
    /// <summary>Debian's linux-source-X package, installed with apt if missing and extracted once into the cache.</summary>
    public sealed record DebianPackage(string Package) : TreeSource
    {
        /// <summary>In words, for people (validate, a run's inputs): not the record's member dump.</summary>
        public override string ToString() => $"Debian package {Package}";
    }

    /// <summary>A user's git checkout; never modified: the harness works in a git worktree at <paramref name="Ref"/>.</summary>
    public sealed record GitCheckout(string Path, string Ref) : TreeSource
    {
        public override string ToString() => $"git checkout {Path} at {Ref}";
    }
}

/// <summary>
/// Wall-clock limits per stage, in seconds; a stage past its limit is killed and reported. <paramref name="Prepare"/> is
/// the limit of each program the host-side steps before the guests start (tree provisioning, applying the series, the
/// guest image, the libbpf/loader/selftest compiles): see <see cref="Pipeline.PrepareLimit"/>.
/// </summary>
public sealed record Timeouts(int Build, int Boot, int Command, int Program, int Prepare = Timeouts.DefaultPrepare)
{
    public const int DefaultPrepare = 1800;

    public static Timeouts Default { get; } = new(Build: 3600, Boot: 120, Command: 300, Program: 120, Prepare: DefaultPrepare);
}
