using Harness.Processes;

namespace Harness.Tests.Support;

/// <summary>
/// gitlab-ci-local (npm) run on a copy of the checkout: the copy holds what git would commit of the working tree
/// (tracked and new files, nothing ignored), is a git repository of its own (gitlab-ci-local reads git's data and
/// copies only tracked files into each job), and takes gitlab-ci-local's state (.gitlab-ci-local/), so the checkout
/// is never touched. harness/setup/gitlab-ci-local.sh installs it and Node 22 from npm first.
/// </summary>
public sealed class GitLabCiLocal
{
    private GitLabCiLocal(string node, string script)
    {
        Node = node;
        Script = script;
    }

    public string Node { get; }

    public string Script { get; }

    /// <summary>Runs the setup script (idempotent: a few ms when installed) and takes the paths it prints.</summary>
    public static async Task<GitLabCiLocal> InstallAsync(CancellationToken cancellationToken)
    {
        var setup = Path.Combine(Checkout.Layout.Root, "harness", "setup", "gitlab-ci-local.sh");
        var result = (await new ProcessRunner().RunAsync(ProcessSpec.Of("bash", setup) with { Timeout = TimeSpan.FromMinutes(5) }, cancellationToken))
            .EnsureSuccess();
        var printed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return new GitLabCiLocal(printed["GITLAB_CI_LOCAL_NODE"], printed["GITLAB_CI_LOCAL_JS"]);
    }

    /// <summary>Copies the checkout into <paramref name="directory"/> and commits it there; returns the copy's path.</summary>
    public static async Task<string> CopyCheckoutAsync(string directory, CancellationToken cancellationToken)
    {
        var runner = new ProcessRunner();
        var listed = await runner.RunAsync(ProcessSpec.Of("git", "-C", Checkout.Layout.Root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"),
            cancellationToken);
        // A file deleted in the working tree is still listed by --cached: copy what is there.
        var files = listed.EnsureSuccess().StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => File.Exists(Path.Combine(Checkout.Layout.Root, f)));
        Directory.CreateDirectory(directory);
        var copy = ProcessSpec.Of("rsync", "-a", "--from0", "--files-from=-", "./", directory + "/") with
        {
            WorkingDirectory = Checkout.Layout.Root,
            StandardInput = string.Join('\0', files) + "\0",
        };
        (await runner.RunAsync(copy, cancellationToken)).EnsureSuccess();
        var repo = await GitRepo.InitAsync(directory, cancellationToken);
        await repo.CommitAllAsync("copy of the checkout", cancellationToken);
        return directory;
    }

    /// <summary>
    /// The whole pipeline of <paramref name="project"/>'s .gitlab-ci.yml with the shell executor, each job in a copy of
    /// its own (--shell-isolation, so artifacts really travel), gitlab-ci-local's home in <paramref name="home"/>.
    /// </summary>
    public Task<ProcessResult> RunPipelineAsync(string project, string home, IReadOnlyDictionary<string, string> variables, string logFile,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        // --cwd must be relative: run from the copy's parent.
        List<string> args =
        [
            Script, "--cwd", Path.GetFileName(project), "--home", home, "--shell-executor-no-image", "--shell-isolation",
            "--no-artifacts-to-source", "--no-color",
        ];
        foreach (var (name, value) in variables) args.AddRange(["--variable", $"{name}={value}"]);
        var spec = new ProcessSpec(Node, args)
        {
            WorkingDirectory = Path.GetDirectoryName(project),
            LogFile = logFile,
            Timeout = timeout,
        };
        return new ProcessRunner().RunAsync(spec, cancellationToken);
    }
}
