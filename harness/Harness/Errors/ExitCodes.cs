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

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;
}
