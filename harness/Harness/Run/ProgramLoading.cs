using System.Diagnostics;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// The loading and judging every target shares (a QEMU guest, a board over SSH): the loader over a kernel's
/// programs through <see cref="GuestLoads"/> (a fault lands on the program in flight and the rest go on), faults and
/// kernel splats on the programs they belong to (<see cref="FaultJudge"/>), and the programs not as expected loaded
/// again (<see cref="ProgramRetries"/>). The target only says how to reach the loader and where the objects are.
/// </summary>
public static class ProgramLoading
{
    /// <summary>The harness waits this long past the loader's own per-program limit before it calls the program hung.</summary>
    public static readonly TimeSpan HangGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How <see cref="GuestLoads"/> runs <paramref name="loader"/> (the loader's command, without options) under the run
    /// config: its own per-program limit (timeouts: program), the hang limit past it, the reboots allowed after faults, and
    /// the program it stops before (run --hold-before).
    /// </summary>
    public static GuestLoadSettings Settings(StageContext context, string loader) => new(
        $"{loader} --timeout {context.Config.Timeouts.Program}",
        TimeSpan.FromSeconds(context.Config.Timeouts.Program) + HangGrace,
        context.Config.Reboots,
        context.Config.HoldBefore);

    /// <summary>
    /// Loads and judges one kernel's programs: adds the "load" (and "retry", when a program was retried) timings to
    /// <paramref name="stages"/>, writes the loader's output to the ARCH-ROLE-loader log, and returns every program's
    /// result with the notes for known splats. <paramref name="where"/> names the target in progress lines.
    /// </summary>
    public static async Task<(IReadOnlyList<ProgramResult> Programs, IReadOnlyList<string> Notes)> RunAsync(StageContext context, GuestTestRequest request,
        GuestLoads loads, string objectDirectory, string where, List<StageTiming> stages, CancellationToken cancellationToken)
    {
        var arch = request.Arch.Name;
        var role = GuestTestStage.Name(request.Role);
        var clock = Stopwatch.StartNew();
        context.Progress.Stage(arch, "load", $"{request.Expectations.Count} programs on {where}");
        // Programs known to oops this kernel go last, each in a guest of its own, so no other result is lost to them.
        var oopses = request.Expectations.Where(e => KnownToOops(request.Overlay, e, arch, request.Role)).ToArray();
        var programs = LoaderPrograms.For(request.Expectations.Except(oopses).ToArray(), request.Overlay, arch, request.Role, objectDirectory);
        var batch = await loads.LoadAsync(programs, cancellationToken);
        foreach (var alone in LoaderPrograms.For(oopses, request.Overlay, arch, request.Role, objectDirectory))
        {
            context.Progress.Stage(arch, "load", $"{alone.Key}: in a guest of its own (known to oops {role})");
            batch = Merge(batch, await loads.LoadAloneAsync(alone, cancellationToken));
        }
        stages.Add(new StageTiming("load", clock.Elapsed.TotalSeconds));
        await File.WriteAllTextAsync(context.LogFile($"{arch}-{role}-loader"), batch.Output, cancellationToken);

        var (judged, notes) = FaultJudge.JudgeBatch(arch, request.Role, request.Expectations, request.Overlay, batch);
        clock.Restart();
        var retries = new ProgramRetries(loads, request.Expectations, request.Overlay, arch, request.Role, context.Config.Retries,
            message => context.Progress.Stage(arch, "retry", $"{role}: {message}"), objectDirectory);
        judged = await retries.RunAsync(judged, batch.Faults.Keys.ToHashSet(), cancellationToken);
        if (judged.Any(p => p.Outcome.Attempts.Count > 0)) stages.Add(new StageTiming("retry", clock.Elapsed.TotalSeconds));
        return (judged, notes);
    }

    /// <summary>Whether the overlay says the program oopses this kernel (known deviation with "actual: oops").</summary>
    public static bool KnownToOops(ExpectationOverlay overlay, ProgramExpectation program, string arch, KernelRole kernel) =>
        overlay.Find(program, arch, kernel)?.Action is KnownDeviation { Actual: LoadVerdict.Oops };

    private static LoadBatch Merge(LoadBatch a, LoadBatch b) => new(
        [.. a.Results, .. b.Results],
        a.Faults.Concat(b.Faults).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        [.. a.Problems, .. b.Problems],
        a.Output + b.Output);
}
