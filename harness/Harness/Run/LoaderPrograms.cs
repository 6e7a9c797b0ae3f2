using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// Which programs the in-guest loader takes on one kernel, as "GUESTDIR/object:program" (its --prog form).
/// A program the overlay skips there (one that oopses that kernel, say) is never loaded at all; auxiliary
/// programs load with the program that needs them, not on their own.
/// </summary>
public static class LoaderPrograms
{
    /// <summary>Where the objects are uploaded in the guest.</summary>
    public const string GuestObjectDirectory = "/tmp/selftests";

    /// <summary>The --prog forms; <paramref name="objectDirectory"/> is where the objects are on the target (a board has its own run directory).</summary>
    public static IReadOnlyList<string> For(IEnumerable<ProgramExpectation> expectations, ExpectationOverlay overlay, string arch, KernelRole kernel,
        string objectDirectory = GuestObjectDirectory) =>
        expectations
            .Where(e => !e.Auxiliary)
            .Where(e => overlay.Find(e.Object, e.Program, arch, kernel)?.Action is not SkipProgram)
            .Select(e => $"{objectDirectory}/{e.Object}:{e.Program}")
            .ToArray();
}
