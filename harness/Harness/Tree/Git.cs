using Harness.Processes;

namespace Harness.Tree;

/// <summary>
/// Runs git in one repository or worktree through the process runner. Commits the harness makes
/// carry a fixed identity, so they never depend on the user's git config.
/// </summary>
public sealed class Git(IProcessRunner runner, string directory, string? logFile = null)
{
    public string Directory { get; } = directory;

    private static readonly string[] Identity =
        ["-c", "user.name=Harness", "-c", "user.email=harness@localhost", "-c", "advice.detachedHead=false"];

    /// <summary>Runs git and returns the result whatever the exit code; the caller decides what it means.</summary>
    public Task<ProcessResult> TryAsync(CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessSpec("git", [.. Identity, .. arguments])
        {
            WorkingDirectory = Directory,
            LogFile = logFile,
            // A terminal prompt would hang a headless run.
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C" },
        }, cancellationToken);

    /// <summary>Runs git, throws <see cref="ProcessFailedException"/> on a non-zero exit, returns trimmed stdout.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        (await TryAsync(cancellationToken, arguments)).EnsureSuccess().StandardOutput.Trim();

    /// <summary>The full commit id <paramref name="revision"/> names, or null when it names nothing.</summary>
    public async Task<string?> ResolveAsync(string revision, CancellationToken cancellationToken)
    {
        var result = await TryAsync(cancellationToken, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>The tree object of a commit: equal trees mean equal sources, whoever committed them and when.</summary>
    public Task<string> TreeHashAsync(string commit, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "rev-parse", commit + "^{tree}");
}
