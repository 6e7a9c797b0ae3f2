using Harness.Config;
using Harness.Errors;
using Harness.Tests.Support;
using Harness.Tree;
using NUnit.Framework;

namespace Harness.Tests.Tree;

public class TreeStageTests
{
    private static Harness.Pipeline.StageContext ContextFor(TempDirectory temp, string path, string reference) =>
        TestContexts.Create(TestContexts.Config(temp, TestContexts.FakeArch()) with { Tree = new TreeSource.GitCheckout(path, reference) });

    [Test, CancelAfter(60_000)]
    public async Task Clones_a_user_checkout_into_the_cache_without_writing_to_it(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var user = await FakeKernelTree.CreateAsync(temp.Combine("my linux"), cancellationToken);
        var head = await user.RunAsync(cancellationToken, "rev-parse", "HEAD");
        var before = Snapshot(Path.Combine(user.Path, ".git"));

        var tree = await TreeStage.RunAsync(ContextFor(temp, user.Path, "HEAD"), cancellationToken);

        Assert.That(tree.BaseCommit, Is.EqualTo(head));
        Assert.That(tree.Key, Does.Match("^my_linux-[0-9a-f]{10}$"));
        Assert.That(tree.Repository, Is.EqualTo(new CacheLayout(temp.Combine("cache")).Tree(tree.Key)));
        Assert.That(File.ReadAllText(Path.Combine(tree.Repository, ".git", "objects", "info", "alternates")), Does.Contain(user.Path));
        Assert.That(Snapshot(Path.Combine(user.Path, ".git")), Is.EqualTo(before), "the user's .git changed");
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejects_a_directory_that_is_not_a_git_repository(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("plain"));

        var error = (await Assert.ThrowsAsync<BadInputException>(() => TreeStage.RunAsync(ContextFor(temp, temp.Combine("plain"), "HEAD"), cancellationToken)))!;

        Assert.That(error.Message, Does.StartWith($"--tree {temp.Combine("plain")}: not a git repository"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejects_a_git_repository_that_is_not_a_kernel_tree(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var repo = await GitRepo.InitAsync(temp.Combine("notes"), cancellationToken);
        repo.Write("Makefile", "all:\n");
        await repo.CommitAllAsync("not a kernel", cancellationToken);

        var error = (await Assert.ThrowsAsync<BadInputException>(() => TreeStage.RunAsync(ContextFor(temp, repo.Path, "HEAD"), cancellationToken)))!;

        Assert.That(error.Message, Does.Contain("HEAD has no kernel/bpf/verifier.c, so it is not a Linux kernel tree"));
    }

    [Test, CancelAfter(60_000)]
    public async Task Rejects_a_base_ref_that_names_no_commit(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var user = await FakeKernelTree.CreateAsync(temp.Combine("linux"), cancellationToken);

        var error = (await Assert.ThrowsAsync<BadInputException>(() => TreeStage.RunAsync(ContextFor(temp, user.Path, "v9.9"), cancellationToken)))!;

        Assert.That(error.Message, Does.Contain("'v9.9' names no commit there. Give a branch, tag or commit with --base."));
    }

    /// <summary>Every file under a directory with its size and modification time.</summary>
    private static string[] Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(directory, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")
            .Order(StringComparer.Ordinal).ToArray();
}
