using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// Which loads the in-guest loader makes on one kernel (<see cref="LoaderJob"/>s), decided from the programs' tags as
/// test_loader.c decides them: one privileged load per program, at its __log_level, with its __flag bits, with the
/// object's __auxiliary programs autoloaded beside it, a test run when it has a __retval and the xlated text when it
/// has __xlated. A program the overlay skips there (one that oopses that kernel, say) is never loaded at all;
/// auxiliary programs load with the program that needs them, not on their own.
/// </summary>
public static class LoaderPrograms
{
    /// <summary>Where the objects are uploaded in the guest.</summary>
    public const string GuestObjectDirectory = "/tmp/selftests";

    /// <summary>The jobs, in expectation order; <paramref name="objectDirectory"/> is where the objects are on the target (a board has its own run directory).</summary>
    public static IReadOnlyList<LoaderJob> For(IReadOnlyList<ProgramExpectation> expectations, ExpectationOverlay overlay, string arch, KernelRole kernel,
        string objectDirectory = GuestObjectDirectory)
    {
        var auxiliaries = expectations.Where(e => e.Auxiliary).ToLookup(e => e.Object, e => e.Program);
        return expectations
            .Where(e => !e.Auxiliary)
            .Where(e => overlay.Find(e.Object, e.Program, arch, kernel)?.Action is not SkipProgram)
            .Select(e => Privileged(e, $"{objectDirectory}/{e.Object}", auxiliaries[e.Object].ToArray()))
            .ToArray();
    }

    /// <summary>The privileged load of <paramref name="e"/> (test_loader's spec->priv).</summary>
    private static LoaderJob Privileged(ProgramExpectation e, string objectPath, IReadOnlyList<string> auxiliaries) => new(
        objectPath, e.Program, Unprivileged: false,
        LogLevel: e.LogLevel ?? 0, FlagsSet: e.ProgFlagsSet, FlagsCleared: e.ProgFlagsCleared, Auxiliaries: auxiliaries,
        TestRun: e.Retval is not null, Xlated: e.Xlated.Count > 0, Jited: false);
}
