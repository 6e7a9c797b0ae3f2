using System.Diagnostics;
using System.IO.Enumeration;
using System.Xml.Linq;
using Harness.Errors;
using Harness.Matrix;
using Harness.Processes;
using Harness.Tests.Matrix;
using Harness.Tests.Support;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// The project's real .gitlab-ci.yml run by gitlab-ci-local with its shell executor on a small matrix
/// (configs/ci-small-matrix.yaml: the kernels `make test` builds first): two shard jobs boot real kernels, their
/// results travel as artifacts, the merge job joins them. Then the merged result is checked, not just the job colours.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class GitLabCiLocalEndToEndTests
{
    private const int TenMinutes = 600_000;
    private const string SmallMatrix = "configs/ci-small-matrix.yaml";

    [Test, CancelAfter(TenMinutes)]
    public async Task The_pipeline_shards_the_matrix_and_the_merge_job_publishes_every_unit_once(CancellationToken cancellationToken)
    {
        var cli = Path.Combine(Checkout.Layout.Root, "bin", "harness");
        Assert.That(File.Exists(cli), $"{cli}: missing. `make build` publishes the CLI the jobs run (make test does it first).");
        var checkoutBefore = await StatusAsync(cancellationToken);
        var tool = await GitLabCiLocal.InstallAsync(cancellationToken);
        using var dir = new TempDirectory();
        var project = await GitLabCiLocal.CopyCheckoutAsync(dir.Combine("project"), cancellationToken);
        var ci = GitLabCiFile.Read(Path.Combine(project, ".gitlab-ci.yml"));
        var log = dir.Combine("gitlab-ci-local.log");

        var clock = Stopwatch.StartNew();
        var pipeline = await tool.RunPipelineAsync(project, dir.Combine("home"),
            new Dictionary<string, string> { ["HARNESS_MATRIX"] = SmallMatrix, ["HARNESS_CLI"] = cli }, log, TimeSpan.FromMinutes(8), cancellationToken);
        TestContext.Out.WriteLine($"gitlab-ci-local pipeline: exit {pipeline.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s (log {log})");

        var state = Path.Combine(project, ".gitlab-ci-local");
        var artifacts = Path.Combine(state, "artifacts");
        var output = string.Join("\n", pipeline.OutputTail);
        Assert.That(pipeline.ExitCode, Is.EqualTo(0), output);
        var mergeLog = File.ReadAllText(Path.Combine(state, "output", "merge.log"));
        var matrix = MatrixConfigReader.Read(Path.Combine(project, SmallMatrix), Checkout.Arches);
        var shards = Directory.GetDirectories(artifacts)
            .SelectMany(job => Directory.Exists(Path.Combine(job, "results")) ? Directory.GetDirectories(Path.Combine(job, "results"), "shard-*") : [])
            .Select(d => MatrixResultFile.Read(Directory.GetDirectories(d, "*-matrix").Single()).Result).ToArray();
        var shardUnits = shards.SelectMany(s => s.Cells.SelectMany(c => c.Arches.Select(a => new MatrixUnit(c.Name, a)))).ToArray();
        var merged = Path.Combine(artifacts, "merge", "results", "nightly");
        var (mergedResult, mergedRuns) = MatrixResultFile.Read(merged);
        var junit = ci.JunitReports("merge")
            .SelectMany(glob => Directory.GetFiles(Path.Combine(artifacts, "merge"), "*", SearchOption.AllDirectories)
                .Where(f => FileSystemName.MatchesSimpleExpression(glob, Path.GetRelativePath(Path.Combine(artifacts, "merge"), f))))
            .ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"PASS\s+merge"), "the merge job passed");
            Assert.That(mergeLog, Does.Contain($"harness merge exited {ExitCodes.Success}"));
            Assert.That(shards.Select(s => s.Shard).Order(), Is.EqualTo(ci.ShardEntries.Select(e => $"{e.Shard}/{ci.ShardEntries.Count}").Order()),
                "every shard job's results came back as its artifacts");
            foreach (var (shard, arch) in ci.ShardEntries)
                Assert.That(shards.Single(s => s.Shard == $"{shard}/{ci.ShardEntries.Count}").Cells.SelectMany(c => c.Arches).Distinct(),
                    Is.EqualTo(new[] { arch }), $"shard {shard} ran its tag's arch");
            Assert.That(shardUnits, Is.Unique, "no unit ran in two shards");
            Assert.That(shardUnits, Is.EquivalentTo(matrix.Units), "the shards together ran every unit of the matrix");
            Assert.That(mergedResult.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(mergedResult.MergedFrom, Has.Count.EqualTo(ci.ShardEntries.Count));
            Assert.That(mergedResult.Cells.Select(c => (c.Name, string.Join(",", c.Arches))),
                Is.EqualTo(matrix.Cells.Select(c => (c.Name, string.Join(",", c.Config.Arches.Select(a => a.Name))))), "each cell has every arch once, in its order");
            Assert.That(mergedRuns.Values.SelectMany(r => r.Runs).Select(r => r.Arch), Is.EquivalentTo(matrix.Units.Select(u => u.Arch)),
                "results.json holds one run per (cell, arch): patched only, each once");
            Assert.That(MatrixMergerTests.Verdicts(mergedRuns), Has.Count.GreaterThan(100));
            Assert.That(File.Exists(Path.Combine(merged, "report.html")), "the HTML report is in the merge job's artifacts");
            Assert.That(junit, Has.Length.EqualTo(matrix.Cells.Count), $"the JUnit report paths {string.Join(", ", ci.JunitReports("merge"))}");
            foreach (var file in junit)
            {
                var suites = XDocument.Load(file).Root!.Elements("testsuite").ToArray();
                var cell = mergedRuns[Path.GetFileName(Path.GetDirectoryName(file))!];
                Assert.That(suites.Select(s => (string?)s.Attribute("name")), Is.EqualTo(cell.Runs.Select(r => $"{r.Arch} {r.Kernel.ToString().ToLowerInvariant()}")), file);
                Assert.That(suites.Sum(s => s.Elements("testcase").Count()), Is.EqualTo(cell.Runs.Sum(r => r.Programs.Count)), $"{file}: a testcase per program");
            }
        });
        Assert.That(await StatusAsync(cancellationToken), Is.EqualTo(checkoutBefore), "the checkout is left as it was");
        Assert.That(Directory.Exists(Path.Combine(Checkout.Layout.Root, ".gitlab-ci-local")), Is.False, "no gitlab-ci-local state in the checkout");
    }

    private static async Task<string> StatusAsync(CancellationToken cancellationToken) =>
        (await new ProcessRunner().RunAsync(ProcessSpec.Of("git", "-C", Checkout.Layout.Root, "status", "--porcelain", "--ignored"), cancellationToken))
        .EnsureSuccess().StandardOutput;
}
