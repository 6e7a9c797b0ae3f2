namespace Harness.Processes;

/// <summary>
/// What a finished process left behind. The runner never throws on a non-zero exit:
/// the stage decides what the exit code means (tuxmake's run_cmd does the same).
/// </summary>
public sealed record ProcessResult(
    ProcessSpec Spec,
    int ExitCode,
    TimeSpan Duration,
    string StandardOutput,
    string StandardError,
    IReadOnlyList<string> OutputTail,
    bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>Throws <see cref="ProcessFailedException"/> unless the process exited 0.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new ProcessFailedException(this);
}
