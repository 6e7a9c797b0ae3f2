using Harness.Config;
using Harness.Errors;
using Harness.Images;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Selftests;
using Harness.Tests.Selftests;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Faults;

/// <summary>
/// timeouts.prepare: a host-side step before the guests (tree, series, guest image, selftest compile) whose program hangs is stopped
/// at the limit with its children, reported as an infrastructure error (exit 2) naming the step, the limit and the key,
/// and leaves no complete cache entry. The programs are shell scripts that sleep; each sleeps a length no other process
/// on the machine uses, to find it in the process table.
/// </summary>
[Category("Faults")]
public class PrepareLimitFaultTests
{
    private const int Limit = 2;
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test, CancelAfter(60_000)]
    public async Task A_selftest_compile_past_its_limit_is_stopped_and_reported_and_no_objects_are_cached(CancellationToken cancellationToken)
    {
        const string sleep = "91.31";
        using var bed = new SelftestsTestBed();
        bed.Write("selftests/async_wq.c", "int y;\n");
        var header = bed.Write("headers/vmlinux.h", "struct bpf_map;\n");
        bed.Write("libbpf/include/bpf/bpf_helper_defs.h", "/* helpers */\n");
        var fakes = new FakePrograms(bed.PathOf("fake-bin"));
        var clang = fakes.Hang(SelftestCompileStage.Clang, "-c", sleep, "echo 'Debian clang version 19.1.7 (fake)'");
        var context = bed.Context(fakes, prepareSeconds: Limit);

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() => new SelftestCompileStage().RunAsync(context, SelftestsTestBed.X86,
            SelftestSources.Of(bed.PathOf("selftests")), header, new LibbpfHeaders(bed.PathOf("libbpf/include")), cancellationToken)))!;

        var left = await LeftAsync("sleep " + sleep);
        Assert.Multiple(() =>
        {
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(error.Message, Does.StartWith("selftest compile of async_wq.c (x86_64) passed the 2 s limit (timeouts.prepare) and was stopped."));
            Assert.That(error.Message, Does.Contain($"> {clang} ").And.Contain(" -c " + Path.Combine(bed.PathOf("selftests"), "async_wq.c")), "the command");
            Assert.That(left, Is.Empty, "the hanging compile and its children are gone");
            Assert.That(FilesUnder(context.Cache.Root, "objects"), Is.Empty, "nothing of the stopped compile is kept");
        });
    }

    [Test, CancelAfter(60_000)]
    public async Task A_patch_whose_git_am_passes_its_limit_is_stopped_and_reported_and_the_next_apply_works(CancellationToken cancellationToken)
    {
        const string sleep = "91.32";
        var (context, tree, series) = await ArrangeSeriesAsync(cancellationToken);
        var fakes = new FakePrograms(_temp.Combine("fake-bin"));
        // As a real git am killed mid-way, it leaves the worktree's index.lock behind.
        var realGit = global::Harness.Build.Toolchain.FindOnPath("git");
        var git = fakes.Hang("git", "am", sleep, FakePrograms.PassOn("git"), beforeHanging: $"touch \"$({realGit} rev-parse --git-path index.lock)\"");

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() =>
            ApplyStage.ApplyAsync(context with { Runner = fakes }, tree, AppliedVariant.Patched, series, cancellationToken)))!;

        var left = await LeftAsync("sleep " + sleep);
        Assert.Multiple(() =>
        {
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(error.Message, Does.StartWith("applying 0001-change.patch (patched) passed the 2 s limit (timeouts.prepare) and was stopped."));
            Assert.That(error.Message, Does.Contain($"> {git} ").And.Contain(" am --3way "), "the command");
            Assert.That(error.Message, Does.Contain("raise timeouts.prepare in " + context.Config.SourceFile));
            Assert.That(left, Is.Empty, "the hanging git am and its children are gone");
            Assert.That(FilesUnder(context.Cache.Root, "applied"), Is.Empty, "no outcome remembered for the stopped patch");
            Assert.That(LockHolders(context.Cache), Is.Empty, "the apply lock was released");
            Assert.That(Directory.GetFiles(Path.Combine(tree.Repository, ".git", "worktrees"), "index.lock", SearchOption.AllDirectories), Is.Not.Empty,
                "the stopped git am left the worktree's index.lock (the premise of what follows)");
        });
        // The worktree the stopped git am left is usable (its stale index.lock removed): the same series applies with the real git.
        var variant = await ApplyStage.ApplyAsync(context, tree, AppliedVariant.Patched, series, cancellationToken);
        Assert.That(variant.Patches.Select(p => p.FromCache), Is.EqualTo(new[] { false }));
        Assert.That(variant.Patches[0].Application, Is.EqualTo(PatchApplication.Clean));
    }

    [Test, CancelAfter(60_000)]
    public async Task A_tree_clone_past_its_limit_is_stopped_and_reported_and_no_tree_is_kept(CancellationToken cancellationToken)
    {
        const string sleep = "91.33";
        var linux = await FakeKernelTree.CreateAsync(_temp.Combine("linux"), cancellationToken);
        var config = TestContexts.Config(_temp, TestContexts.FakeArch()) with
        {
            Tree = new TreeSource.GitCheckout(linux.Path, "HEAD"),
            Timeouts = Timeouts.Default with { Prepare = Limit },
        };
        var context = TestContexts.Create(config);
        var fakes = new FakePrograms(_temp.Combine("fake-bin"));
        fakes.Hang("git", "clone", sleep, FakePrograms.PassOn("git"));

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() => TreeStage.RunAsync(context with { Runner = fakes }, cancellationToken)))!;

        var left = await LeftAsync("sleep " + sleep);
        Assert.Multiple(() =>
        {
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(error.Message, Does.StartWith($"tree provisioning ({linux.Path}) passed the 2 s limit (timeouts.prepare) and was stopped."));
            Assert.That(error.Message, Does.Contain(" clone --quiet --shared --no-checkout " + linux.Path), "the command");
            Assert.That(left, Is.Empty, "the hanging git clone and its children are gone");
            Assert.That(Directory.Exists(context.Cache.Tree("")) ? Directory.GetFileSystemEntries(context.Cache.Tree("")) : [], Is.Empty,
                "no tree, and no half-made temporary sibling, is kept");
            Assert.That(LockHolders(context.Cache), Is.Empty, "the tree lock was released");
        });
        var tree = await TreeStage.RunAsync(context, cancellationToken);
        Assert.That(tree.BaseCommit, Is.EqualTo(await linux.RunAsync(cancellationToken, "rev-parse", "HEAD")), "the next run provisions the tree");
    }

    [Test, CancelAfter(60_000)]
    public async Task A_guest_image_whose_apt_get_passes_its_limit_is_stopped_and_reported_and_no_image_is_kept(CancellationToken cancellationToken)
    {
        const string sleep = "91.35";
        var config = TestContexts.Config(_temp, TestContexts.FakeArch()) with { Timeouts = Timeouts.Default with { Prepare = Limit } };
        var fakes = new FakePrograms(_temp.Combine("fake-bin"));
        fakes.Hang("apt-get", "--print-uris", sleep, FakePrograms.PassOn("apt-get"));
        var context = TestContexts.Create(config) with { Project = Checkout.Layout, Runner = fakes };

        var error = (await Assert.ThrowsAsync<InfrastructureException>(() =>
            ImageBuilder.For(context).RunAsync(new ImageRequest(Checkout.Arch("x86_64"), []), cancellationToken)))!;

        var left = await LeftAsync("sleep " + sleep);
        Assert.Multiple(() =>
        {
            Assert.That(error.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(error.Message, Does.StartWith("guest image passed the 2 s limit (timeouts.prepare) and was stopped."));
            Assert.That(error.Message, Does.Contain(" download --print-uris ").And.Contain(":amd64"), "the command");
            Assert.That(left, Is.Empty, "the hanging apt-get and its children are gone");
            Assert.That(FilesUnder(context.Cache.Root, "images").Concat(FilesUnder(context.Cache.Root, "packages")), Is.Empty, "nothing kept");
        });
    }

    /// <summary>The key from run.yaml to the message, through the real CLI: `make install_headers` of the tree hangs.</summary>
    [Test, CancelAfter(120_000)]
    public async Task A_run_whose_libbpf_headers_step_hangs_exits_2_naming_the_step_and_the_key_of_its_config(CancellationToken cancellationToken)
    {
        const string sleep = "91.34";
        var config = await FakeTreeRun.WriteConfigAsync(_temp, cancellationToken, headersSleep: sleep, prepareSeconds: Limit);
        var temp = Directory.CreateDirectory(_temp.Combine("tmp")).FullName;

        var result = await HarnessCli.RunAsync(["run", "--config", config, "--arch", "x86_64", "--no-baseline"], cancellationToken, temp);

        var cache = new CacheLayout(_temp.Combine("cache"));
        var left = (await LeftAsync("sleep " + sleep)).Concat(await LeftAsync(_temp.Path)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError), result.Transcript());
            Assert.That(result.StandardError, Does.Contain("libbpf headers (make install_headers) passed the 2 s limit (timeouts.prepare) and was stopped."));
            Assert.That(result.StandardError, Does.Contain("install_headers").And.Contain("raise timeouts.prepare in " + config));
            Assert.That(left, Is.Empty, "the hanging make and its children are gone");
            Assert.That(FilesUnder(cache.Root, "tools"), Is.Empty, "no headers kept from the stopped step");
            Assert.That(LockHolders(cache), Is.Empty, "every lock released");
            Assert.That(Directory.GetFileSystemEntries(temp), Is.Empty, "temp left");
        });
    }

    /// <summary>A 50-line file and a one-patch series changing line 20, as in ApplyStageTests; the limit is 2 s.</summary>
    private async Task<(StageContext Context, KernelTree Tree, PatchSeries Series)> ArrangeSeriesAsync(CancellationToken cancellationToken)
    {
        var repo = await GitRepo.InitAsync(_temp.Combine("tree"), cancellationToken);
        repo.Write("kernel/a.c", GitRepo.Lines(1, 50));
        var @base = await repo.CommitAllAsync("base", cancellationToken);
        repo.Write("kernel/a.c", GitRepo.Lines(1, 50).Replace("line 20\n", "line twenty\n"));
        await repo.FormatPatchAsync(await repo.CommitAllAsync("change line 20", cancellationToken), _temp.Combine("series", "0001-change.patch"), cancellationToken);
        _temp.Write("series/series", "0001-change.patch\n");
        await repo.RunAsync(cancellationToken, "checkout", "--quiet", "--detach", @base);
        var config = TestContexts.Config(_temp, TestContexts.FakeArch(), series: _temp.Combine("series")) with
        {
            Timeouts = Timeouts.Default with { Prepare = Limit },
        };
        return (TestContexts.Create(config), new KernelTree("tiny", repo.Path, @base, "test tree"), SeriesReader.Read(_temp.Combine("series")));
    }

    /// <summary>Processes naming <paramref name="text"/> still there after up to 5 s: a killed child may take a moment to leave the table on a busy machine.</summary>
    private static async Task<IReadOnlyList<string>> LeftAsync(string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ProcessTable.Containing(text).Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(100);
        return ProcessTable.Containing(text);
    }

    private static string[] FilesUnder(string cacheRoot, string part)
    {
        var directory = Path.Combine(cacheRoot, part);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Lock files that still name a holder (a released lock is emptied).</summary>
    private static string[] LockHolders(CacheLayout cache)
    {
        var locks = Path.GetDirectoryName(cache.Lock("x"))!;
        return Directory.Exists(locks) ? Directory.GetFiles(locks).Where(f => new FileInfo(f).Length > 0).ToArray() : [];
    }
}
