using System.Text;
using Harness.Errors;

namespace Harness.Processes;

/// <summary>
/// A program exited non-zero where the stage needed it to succeed. The message reads like NUKE's
/// ProcessException: program, exit code, the command, the working directory, the last lines of output.
/// </summary>
public sealed class ProcessFailedException : HarnessException
{
    public ProcessFailedException(ProcessResult result, string? hint = null, int exitCode = ExitCodes.InfrastructureError)
        : base(Describe(result, hint))
    {
        Result = result;
        ExitCode = exitCode;
    }

    public ProcessResult Result { get; }

    public override int ExitCode { get; }

    private static string Describe(ProcessResult r, string? hint)
    {
        var text = new StringBuilder();
        text.Append(r.TimedOut
            ? $"Process '{r.Spec.Program}' timed out after {r.Duration.TotalSeconds:F0} s and was killed."
            : $"Process '{r.Spec.Program}' exited with code {r.ExitCode}.");
        text.AppendLine();
        text.AppendLine($"> {r.Spec.CommandLine}");
        if (r.Spec.WorkingDirectory is { } dir) text.AppendLine($"@ {dir}");
        if (r.Spec.LogFile is { } log) text.AppendLine($"log: {log}");
        if (r.OutputTail.Count > 0)
        {
            text.AppendLine("Last lines of output:");
            foreach (var line in r.OutputTail.TakeLast(15)) text.AppendLine("   " + line);
        }
        if (hint is not null) text.AppendLine(hint);
        return text.ToString().TrimEnd();
    }
}
