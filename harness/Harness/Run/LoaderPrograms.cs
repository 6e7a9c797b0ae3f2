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
        var auxiliaries = expectations.Where(e => e.Auxiliary).ToArray();
        return expectations
            .Where(e => !e.Auxiliary)
            .Where(e => overlay.Find(e, arch, kernel)?.Action is not SkipProgram)
            .Select(e => Job(e, $"{objectDirectory}/{e.Object}", arch,
                // test_loader autoloads the object's auxiliary programs of the same mode.
                auxiliaries.Where(a => a.Object == e.Object && (e.Unprivileged ? a.TestsUnprivileged : a.TestsPrivileged)).Select(a => a.Program).ToArray()))
            .ToArray();
    }

    /// <summary>The load of one row (test_loader's spec->priv, or spec->unpriv for an @unpriv row).</summary>
    private static LoaderJob Job(ProgramExpectation e, string objectPath, string arch, IReadOnlyList<string> auxiliaries) => new(
        objectPath, e.Program, e.Unprivileged,
        LogLevel: e.LogLevel ?? 0, FlagsSet: e.ProgFlagsSet, FlagsCleared: e.ProgFlagsCleared, Auxiliaries: auxiliaries,
        TestRun: e.RetvalTag is not null, Xlated: e.XlatedToMatch.Count > 0, Jited: e.JitedFor(arch).Count > 0,
        // test_loader opens the object with btf_custom_path: the named object sits beside it (compiled with the suite).
        BtfPath: e.BtfPath is { } btf ? $"{Path.GetDirectoryName(objectPath)}/{btf}" : null,
        MapValues: e.RetvalTag is not null ? e.MapValues : null);
}
