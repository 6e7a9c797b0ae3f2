using Harness.Config;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Cli;

/// <summary>Makes the <see cref="StageContext"/> of one command invocation: a fresh run directory under the config's output.</summary>
public static class StageContexts
{
    public static StageContext Create(RunConfig config, string command)
    {
        var runDirectory = Path.Combine(config.OutputDirectory, $"{DateTime.Now:yyyyMMdd-HHmmss}-{command}");
        // Two runs started in the same second must not share an output directory.
        if (Directory.Exists(runDirectory)) runDirectory += $"-{Environment.ProcessId}";
        Directory.CreateDirectory(Path.Combine(runDirectory, "logs"));
        return new StageContext(config, ProjectLayout.Locate(), new CacheLayout(config.CacheDirectory), new ProcessRunner(), runDirectory,
            new ConsoleProgressSink());
    }
}
