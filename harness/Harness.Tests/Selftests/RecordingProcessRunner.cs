using Harness.Processes;

namespace Harness.Tests.Selftests;

/// <summary>
/// A process runner that records every command and answers with a scripted result. The responder may
/// also create the files the real program would have written (an object, a header).
/// </summary>
internal sealed class RecordingProcessRunner(Func<ProcessSpec, (int ExitCode, string StandardOutput, string StandardError)> respond)
    : IProcessRunner
{
    public List<ProcessSpec> Commands { get; } = [];

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken,
        CancellationToken gracefulCancellation = default)
    {
        Commands.Add(spec);
        var (code, stdout, stderr) = respond(spec);
        var tail = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20).ToArray();
        return Task.FromResult(new ProcessResult(spec, code, TimeSpan.FromMilliseconds(1), stdout, stderr, tail, false));
    }

    /// <summary>The value following <paramref name="flag"/> in the command's arguments.</summary>
    public static string ArgumentAfter(ProcessSpec spec, string flag) =>
        spec.Arguments[spec.Arguments.ToList().IndexOf(flag) + 1];
}
