using System.Collections.Concurrent;
using Harness.Config;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Cli;

/// <summary>Makes the <see cref="StageContext"/> of one command invocation: a fresh run directory under the config's output.</summary>
public static class StageContexts
{
    private static readonly ConcurrentQueue<string> Created = new();

    /// <summary>
    /// Removes the run directories this process created that hold nothing but logs: after a bad input the message
    /// says everything, and a half-written run directory would look like a run.
    /// </summary>
    public static void DiscardUnreported()
    {
        foreach (var directory in Created)
        {
            try
            {
                if (!Directory.Exists(directory)) continue;
                var logs = Path.Combine(directory, "logs");
                if (Directory.EnumerateFileSystemEntries(directory).All(e => e == logs)) Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the bad-input message matters more than the cleanup.
            }
        }
    }

    public static StageContext Create(RunConfig config, string command)
    {
        var runDirectory = Path.Combine(config.OutputDirectory, $"{DateTime.Now:yyyyMMdd-HHmmss}-{command}");
        // Two runs started in the same second must not share an output directory.
        if (Directory.Exists(runDirectory)) runDirectory += $"-{Environment.ProcessId}";
        Directory.CreateDirectory(Path.Combine(runDirectory, "logs"));
        Created.Enqueue(runDirectory);
        return new StageContext(config, ProjectLayout.Locate(), new CacheLayout(config.CacheDirectory), new ProcessRunner(), runDirectory,
            new ConsoleProgressSink());
    }
}
