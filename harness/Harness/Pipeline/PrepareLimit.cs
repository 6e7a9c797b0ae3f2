using System.Text;
using Harness.Errors;
using Harness.Processes;

namespace Harness.Pipeline;

/// <summary>
/// The wall-clock limit (run.yaml's <c>timeouts.prepare</c>) of every program the host-side steps before the guests start:
/// tree provisioning, applying the series, the guest image, the libbpf/loader/selftest compiles. A process runner that
/// gives each program the limit as its <see cref="ProcessSpec.Timeout"/> and turns a program stopped at the limit into an
/// <see cref="InfrastructureException"/> naming the step, the command, the limit and the key. It throws rather than return
/// the timed-out result: callers that read a failed exit as an answer ("this ref does not exist") would misread a hang.
/// </summary>
public sealed class PrepareLimit(IProcessRunner inner, string step, int limitSeconds, string? configFile = null) : IProcessRunner
{
    /// <summary>The config key, as the messages name it.</summary>
    public const string Key = "timeouts.prepare";

    /// <summary>The runner for <paramref name="step"/> ("selftest compile of async_wq.c"), limited by the run's <c>timeouts.prepare</c>.</summary>
    public static IProcessRunner For(StageContext context, string step) =>
        new PrepareLimit(context.Runner, step, context.Config.Timeouts.Prepare, context.Config.SourceFile);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken, CancellationToken gracefulCancellation = default)
    {
        var result = await inner.RunAsync(spec with { Timeout = TimeSpan.FromSeconds(limitSeconds) }, cancellationToken, gracefulCancellation);
        return result.TimedOut ? throw new InfrastructureException(Describe(step, limitSeconds, result, configFile)) : result;
    }

    /// <summary>"STEP passed the N s limit (timeouts.prepare) and was stopped.", then the command, where, the log and the output's tail.</summary>
    public static string Describe(string step, int limitSeconds, ProcessResult result, string? configFile)
    {
        var text = new StringBuilder($"{step} passed the {limitSeconds} s limit ({Key}) and was stopped.");
        text.AppendLine().AppendLine($"> {result.Spec.CommandLine}");
        if (result.Spec.WorkingDirectory is { } directory) text.AppendLine($"@ {directory}");
        if (result.Spec.LogFile is { } log) text.AppendLine($"log: {log}");
        if (result.OutputTail.Count > 0)
        {
            text.AppendLine("Last lines of output:");
            foreach (var line in result.OutputTail.TakeLast(10)) text.AppendLine("   " + line);
        }
        text.Append($"If it is only slow here, raise {Key}{(configFile is null ? "" : $" in {configFile}")}.");
        return text.ToString();
    }
}
