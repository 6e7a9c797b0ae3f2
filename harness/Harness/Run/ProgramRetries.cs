using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// Flakes, the loading part: the programs that are not as expected (<see cref="FlakeRetry.Candidates"/>) are loaded
/// again through <see cref="GuestLoads"/> (the same guest, rebooted if a retry breaks it), up to
/// <paramref name="retries"/> more times; a program stops being retried once its result changed, and
/// <see cref="FlakeRetry.Settle"/> decides: the same result every time counts, a changing one is Flaky.
/// <paramref name="objectDirectory"/> is where the objects are on the target (the guest's, or a board's run directory).
/// </summary>
public sealed class ProgramRetries(
    GuestLoads loads, IReadOnlyList<ProgramExpectation> expectations, ExpectationOverlay overlay, string arch, KernelRole kernel,
    int retries, Action<string> progress, string objectDirectory = LoaderPrograms.GuestObjectDirectory)
{
    public async Task<IReadOnlyList<ProgramResult>> RunAsync(IReadOnlyList<ProgramResult> judged, IReadOnlyCollection<string> faulted, CancellationToken cancellationToken)
    {
        // Only a kernel held to the expectations has failures that matter (a baseline's "fail" is the series' effect).
        var candidates = FlakeRetry.Candidates(judged, faulted, kernel == KernelRole.Patched);
        if (candidates.Count == 0 || retries == 0) return judged;
        var first = judged.ToDictionary(p => p.Key);
        var attempts = candidates.ToDictionary(k => k, _ => new List<ProgramResult>());
        for (var round = 1; round <= retries; round++)
        {
            var again = candidates.Where(k => !FlakeRetry.Differs(first[k], attempts[k])).ToHashSet();
            if (again.Count == 0) break;
            progress($"attempt {round + 1} of {again.Count} program(s) not as expected");
            var subset = expectations.Where(e => again.Contains(e.Key)).ToArray();
            // From every expectation, so that a job still autoloads its object's auxiliary programs.
            var programs = LoaderPrograms.For(expectations, overlay, arch, kernel, objectDirectory).Where(j => again.Contains(j.Key)).ToArray();
            var batch = await loads.LoadAsync(programs, cancellationToken);
            var (rejudged, _) = FaultJudge.JudgeBatch(arch, kernel, subset, overlay, batch);
            foreach (var p in rejudged) attempts[p.Key].Add(p);
        }
        return judged.Select(p => attempts.TryGetValue(p.Key, out var r) ? FlakeRetry.Settle(p, r) : p).ToArray();
    }
}
