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

    public static IReadOnlyList<string> For(IEnumerable<ProgramExpectation> expectations, ExpectationOverlay overlay, string arch, KernelRole kernel) =>
        expectations
            .Where(e => !e.Auxiliary)
            .Where(e => overlay.Find(e.Object, e.Program, arch, kernel)?.Action is not SkipProgram)
            .Select(e => $"{GuestObjectDirectory}/{e.Object}:{e.Program}")
            .ToArray();
}
