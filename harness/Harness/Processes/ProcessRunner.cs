using System.ComponentModel;
using CliWrap;
using Harness.Errors;

namespace Harness.Processes;

/// <summary>
/// Runs programs through CliWrap: logs the quoted command line, streams output line by line into
/// the log file and the live callback, keeps a tail of the output, and enforces the wall-clock limit.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    private const int TailLines = 60;

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken,
        CancellationToken gracefulCancellation = default)
    {
        using var log = spec.LogFile is null ? null : OpenLog(spec);
        var output = new OutputCollector(spec, log, TailLines);

        using var forceful = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } timeout) forceful.CancelAfter(timeout);

        var (program, arguments) = ChildProcesses.Guarded(spec.Program, spec.Arguments);
        var command = CliWrap.Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(spec.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(spec.Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.OnStdout))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(output.OnStderr));
        if (spec.StandardInput is { } input) command = command.WithStandardInputPipe(PipeSource.FromString(input));

        var started = DateTimeOffset.UtcNow;
        try
        {
            // Started on the long-lived starter thread (the parent-death signal follows the forking thread).
            var execution = await ChildProcesses.StartAsync(() => command.ExecuteAsync(forceful.Token, gracefulCancellation));
            ChildProcesses.Register(execution.ProcessId, spec.CommandLine);
            try
            {
                var result = await execution;
                return output.ToResult(result.ExitCode, result.RunTime, timedOut: false);
            }
            finally
            {
                ChildProcesses.Unregister(execution.ProcessId);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !gracefulCancellation.IsCancellationRequested)
        {
            log?.WriteLine($"# killed after the {spec.Timeout?.TotalSeconds:F0} s limit");
            return output.ToResult(-1, DateTimeOffset.UtcNow - started, timedOut: true);
        }
        catch (Win32Exception e)
        {
            throw new InfrastructureException(
                $"Cannot start '{spec.Program}': {e.Message}.\n> {spec.CommandLine}\n{MissingPrograms.Hint(spec.Program)}", e);
        }
    }

    private static StreamWriter OpenLog(ProcessSpec spec)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(spec.LogFile!))!);
        var writer = new StreamWriter(spec.LogFile!, append: true) { AutoFlush = true };
        writer.WriteLine($"$ {spec.CommandLine}");
        if (spec.WorkingDirectory is not null) writer.WriteLine($"# in {spec.WorkingDirectory}");
        return writer;
    }
}
