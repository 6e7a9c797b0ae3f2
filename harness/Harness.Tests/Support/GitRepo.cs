using Harness.Processes;
using Harness.Tree;

namespace Harness.Tests.Support;

/// <summary>A small real git repository for tests, with helpers to commit and to produce format-patch files.</summary>
public sealed class GitRepo(string path)
{
    public string Path { get; } = path;

    private Git Git => new(new ProcessRunner(), Path);

    public static async Task<GitRepo> InitAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        var repo = new GitRepo(path);
        await repo.Git.RunAsync(cancellationToken, "init", "--quiet", "--initial-branch=main");
        return repo;
    }

    public void Write(string relative, string text)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }

    public async Task<string> CommitAllAsync(string message, CancellationToken cancellationToken)
    {
        await Git.RunAsync(cancellationToken, "add", "-A", "-f");
        await Git.RunAsync(cancellationToken, "commit", "--quiet", "--allow-empty", "-m", message);
        return await Git.RunAsync(cancellationToken, "rev-parse", "HEAD");
    }

    public Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments) => Git.RunAsync(cancellationToken, arguments);

    /// <summary>Writes `git format-patch` of <paramref name="commit"/> to <paramref name="file"/>.</summary>
    public async Task FormatPatchAsync(string commit, string file, CancellationToken cancellationToken)
    {
        var text = await Git.RunAsync(cancellationToken, "format-patch", "-1", "--stdout", commit);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, text + "\n", cancellationToken);
    }

    public static string Lines(int from, int to) => string.Join("", Enumerable.Range(from, to - from + 1).Select(i => $"line {i}\n"));
}
