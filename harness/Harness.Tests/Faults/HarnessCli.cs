using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// Runs the real CLI (bin/harness, built by `make build`) as a child process with its own TMPDIR, an optional
/// PATH, and a wall-clock limit, so a fault test drives exactly what a user runs.
/// </summary>
public static class HarnessCli
{
    public static string Binary
    {
        get
        {
            var binary = Path.Combine(Checkout.Layout.Root, "bin", "harness");
            Assert.That(File.Exists(binary), $"{binary} is missing: run `make build` first");
            return binary;
        }
    }

    /// <summary>
    /// Runs `bin/harness ARGS`; the result holds stdout, stderr and the exit code (-1 when the limit killed it).
    /// It runs in <c>workingDirectory</c> (default: the checkout): the CLI finds its configs/ (the arch files) from there first.
    /// </summary>
    public static Task<ProcessResult> RunAsync(string[] arguments, CancellationToken cancellationToken, string? temp = null,
        string? path = null, TimeSpan? limit = null, Action<string>? onLine = null, string? workingDirectory = null)
    {
        var environment = new Dictionary<string, string?>();
        if (temp is not null) environment["TMPDIR"] = temp;
        if (path is not null) environment["PATH"] = path;
        var spec = new ProcessSpec(Binary, arguments)
        {
            Environment = environment,
            Timeout = limit ?? TimeSpan.FromSeconds(120),
            OnOutputLine = onLine,
            WorkingDirectory = workingDirectory ?? Checkout.Layout.Root,
        };
        return new ProcessRunner().RunAsync(spec, cancellationToken);
    }

    /// <summary>Both streams, for assertion messages.</summary>
    public static string Transcript(this ProcessResult result) =>
        $"exit {result.ExitCode}{(result.TimedOut ? " (killed at the limit)" : "")}\n--- stdout\n{result.StandardOutput}\n--- stderr\n{result.StandardError}";
}
