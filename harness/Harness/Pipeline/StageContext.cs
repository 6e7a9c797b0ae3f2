using Harness.Config;
using Harness.Processes;

namespace Harness.Pipeline;

/// <summary>
/// What every stage gets: the validated config, where the checkout and cache are, the process runner,
/// the run's output directory (logs go under RunDirectory/logs), and a sink for progress lines.
/// </summary>
public sealed record StageContext(
    RunConfig Config,
    ProjectLayout Project,
    CacheLayout Cache,
    IProcessRunner Runner,
    string RunDirectory,
    IProgressSink Progress)
{
    public string LogDirectory => Path.Combine(RunDirectory, "logs");

    public string LogFile(string name) => Path.Combine(LogDirectory, name + ".log");
}

/// <summary>Receives live progress: which arch, which stage, how far. The CLI renders it; tests record it.</summary>
public interface IProgressSink
{
    void Stage(string arch, string stage, string message);
}

/// <summary>Writes progress as plain lines to stderr (CI logs, pipes).</summary>
public sealed class ConsoleProgressSink : IProgressSink
{
    public void Stage(string arch, string stage, string message) =>
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {arch,-7} {stage,-9} {message}");
}
