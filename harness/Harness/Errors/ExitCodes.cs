namespace Harness.Errors;

/// <summary>
/// The process exit codes of every harness command. CI systems branch on these, so they never change:
/// results are kept apart from broken infrastructure and from bad input (as tuxmake and KCIDB do).
/// </summary>
public static class ExitCodes
{
    /// <summary>Every verdict was as expected.</summary>
    public const int Success = 0;

    /// <summary>At least one verdict or message did not match its expectation.</summary>
    public const int Mismatch = 1;

    /// <summary>Build, boot, SSH, loader or kernel crash: the harness could not produce a verdict.</summary>
    public const int InfrastructureError = 2;

    /// <summary>Bad config, bad patch, unknown name: the user must fix the input.</summary>
    public const int BadInput = 3;

    /// <summary>
    /// The patched kernels' verdicts are all as expected, but a baseline kernel broke (build, boot, guest): the series'
    /// own tests behave, and what it changes against the baseline is not fully known. Not a regression, not green.
    /// </summary>
    public const int BaselineError = 4;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Worst first: interrupted, bad input, error, mismatch, baseline error, success. An unknown code ranks as an error.</summary>
    private static readonly int[] BySeverity = [Success, BaselineError, Mismatch, InfrastructureError, BadInput, Interrupted];

    /// <summary>The worst of several codes (a matrix's cells, a run and its history): not the largest number, since 4 is milder than 1.</summary>
    public static int Worst(IEnumerable<int> codes) =>
        codes.DefaultIfEmpty(Success).MaxBy(c => Array.IndexOf(BySeverity, c) is var i and >= 0 ? i : Array.IndexOf(BySeverity, InfrastructureError));
}
