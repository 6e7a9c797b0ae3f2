using Harness.Cli;
using Harness.Errors;
using Harness.Processes;
using Harness.Reports;
using Harness.Tests.Support;
using Harness.Tree;
using Harness.Verdicts;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// A reviewer's own kernel checkout (`run --tree PATH --base REF`): the harness clones it without working files, so
/// libbpf, the loader and the kernel's BPF selftest headers must come from the base commit, not from files on disk.
/// The checkout here is a clone of the cached Debian tree without a checkout (the harness reads only its git
/// objects); its base has the same source tree as the default run, so the kernel itself comes from the cache.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class UserTreeEndToEndTests
{
    [Test, CancelAfter(600_000)]
    public async Task A_run_on_a_users_git_checkout_builds_the_host_tools_from_its_base_commit_and_matches_every_expectation(CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();
        var checkout = scratch.Combine("linux");
        var pristine = RealGuests.Cache.Tree("linux-source-6.12");
        (await new ProcessRunner().RunAsync(ProcessSpec.Of("git", "clone", "--quiet", "--no-checkout", pristine, checkout), cancellationToken)).EnsureSuccess();
        var key = TreeStage.CheckoutKey(checkout);
        try
        {
            var exitCode = await Program.Main(["run", "--tree", checkout, "--base", TreeStage.BaseTag, "--arch", "x86_64", "--no-baseline",
                "--output", scratch.Combine("out"), "--no-history"]);

            var run = ResultsJson.Deserialize(File.ReadAllText(Path.Combine(scratch.Combine("out"), ReportWriter.LatestLink, ReportWriter.ResultsFile)));
            var tools = Directory.GetDirectories(Path.GetDirectoryName(RealGuests.Cache.Tree(key))!, key + "-tools-*");
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
                Assert.That(run.Runs.Single().Programs.Where(p => !p.Outcome.AsExpected).Select(p => p.Key), Is.Empty);
                Assert.That(run.Runs.Single().Programs.Count(p => p.Outcome.Status == OutcomeStatus.Pass), Is.GreaterThan(30));
                Assert.That(tools, Has.Length.EqualTo(1), "tools/ of the base commit, checked out beside the clone");
                Assert.That(File.Exists(Path.Combine(tools[0], "tools", "lib", "bpf", "Makefile")), Is.True);
                Assert.That(Directory.GetFileSystemEntries(checkout).Select(Path.GetFileName), Is.EqualTo(new[] { ".git" }), "the user's checkout got no files");
            });
        }
        finally
        {
            // A user tree's cache entries are keyed by its path: this test's path is never used again.
            foreach (var entry in new[] { "trees", "worktrees", "tools", "locks" }
                         .Select(dir => Path.Combine(RealGuests.Cache.Root, dir)).Where(Directory.Exists)
                         .SelectMany(dir => Directory.GetFileSystemEntries(dir, key + "*")))
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
        }
    }
}
