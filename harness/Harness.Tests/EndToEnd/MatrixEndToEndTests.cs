using System.Text.Json;
using Harness.Cli;
using Harness.Errors;
using Harness.Matrix;
using Harness.Tests.Matrix;
using Harness.Tests.Support;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// Nightly workflows through the real CLI with real kernels, QEMU and SSH (warm cache, patched kernels only to stay
/// short): a matrix of two cells, a matrix split in two shards and merged, and a regression caught by the history.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class MatrixEndToEndTests
{
    private const int TenMinutes = 600_000;

    /// <summary>A matrix over the checkout's own config (absolute paths), patched kernels only, with the given axes.</summary>
    private static string WriteMatrix(TempDirectory dir, string arches, string axes)
    {
        var project = Checkout.Layout;
        var yaml = $"""
            defaults:
              tree:
                debian-package: linux-source-6.12
              series: {project.Root}/kernel-patches/async-kfunc-suffixes
              baseline:
                enabled: false
              arches: [x86_64]
              selftests: {project.SelftestsDirectory}
              expectations: {project.SelftestsDirectory}/expectations.yaml
              output: {dir.Combine("results")}
              cache: ~/.cache/harness
              kconfig:
                directory: {project.ConfigsDirectory}/kconfig
                base: tinyconfig
                fragments: [base.config, verifier-suite.config, async-kfunc-test.config]
            arches: [{arches}]
            {axes}
            """;
        return dir.Write("matrix.yaml", yaml);
    }

    private static string MatrixDirectory(string output) => Directory.GetDirectories(output, "*-matrix").Single();

    [Test, CancelAfter(TenMinutes)]
    public async Task A_two_cell_matrix_runs_every_cell_and_writes_matrix_json_and_each_cells_reports(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var treeProgs = Path.Combine(BuiltKernels.TreeDirectory(), "tools", "testing", "selftests", "bpf", "progs");
        Directory.CreateDirectory(dir.Combine("tree-verifier"));
        File.Copy(Path.Combine(treeProgs, "verifier_and.c"), dir.Combine("tree-verifier", "verifier_and.c"));
        var matrix = WriteMatrix(dir, "x86_64", $"""
            selftests:
              - name: async
                selftests: {Checkout.Layout.SelftestsDirectory}
                expectations: {Checkout.Layout.SelftestsDirectory}/expectations.yaml
              - name: tree-verifier-and
                selftests: {dir.Combine("tree-verifier")}
            """);

        var exitCode = await Program.Main(["run", "--matrix", matrix, "--no-history"]);

        var output = MatrixDirectory(dir.Combine("results"));
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "matrix.json"))).RootElement;
        var cells = json.GetProperty("cells").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), File.ReadAllText(Path.Combine(output, "summary.md")));
            Assert.That(cells.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[] { "async", "tree-verifier-and" }));
            foreach (var cell in cells)
            {
                var name = cell.GetProperty("name").GetString()!;
                Assert.That(cell.GetProperty("exit_code").GetInt32(), Is.EqualTo(0), name);
                var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, cell.GetProperty("results").GetString()!))).RootElement;
                Assert.That(results.GetProperty("runs")[0].GetProperty("programs").GetArrayLength(), Is.GreaterThanOrEqualTo(3), name);
                foreach (var report in new[] { "summary.md", "junit.xml" })
                    Assert.That(File.Exists(Path.Combine(output, "cells", name, report)), $"{name}/{report}");
                Assert.That(Directory.GetFiles(Path.Combine(output, "cells", name, "logs"), "*console.log"), Is.Not.Empty, name);
            }
            Assert.That(File.ReadAllText(Path.Combine(output, "summary.md")), Does.Contain("| `async` |").And.Contain("| `tree-verifier-and` |"));
        });
    }

    [Test, CancelAfter(TenMinutes)]
    public async Task Two_shards_merged_give_the_verdicts_of_the_unsharded_run(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var matrix = WriteMatrix(dir, "x86_64, arm64", "");
        string Output(string name) => dir.Combine(name);

        var whole = await Program.Main(["run", "--matrix", matrix, "--no-history", "--output", Output("whole")]);
        var first = await Program.Main(["run", "--matrix", matrix, "--shard", "1/2", "--output", Output("shard-1")]);
        var second = await Program.Main(["run", "--matrix", matrix, "--shard", "2/2", "--output", Output("shard-2")]);
        var merged = await Program.Main(["merge", Output("shard-1"), Output("shard-2"), "-o", Output("merged"), "--no-history"]);

        var (wholeResult, wholeRuns) = MatrixResultFile.Read(MatrixDirectory(Output("whole")));
        var (shard1, _) = MatrixResultFile.Read(MatrixDirectory(Output("shard-1")));
        var (mergedResult, mergedRuns) = MatrixResultFile.Read(Output("merged"));
        Assert.Multiple(() =>
        {
            Assert.That((whole, first, second, merged), Is.EqualTo((0, 0, 0, 0)));
            Assert.That(shard1.Cells.Single().Arches, Is.EqualTo(new[] { "arm64" }), "shard 1/2 takes the first unit in (cell, arch) order");
            Assert.That(MatrixMergerTests.Verdicts(mergedRuns), Has.Count.GreaterThan(100));
            Assert.That(MatrixMergerTests.Verdicts(mergedRuns), Is.EqualTo(MatrixMergerTests.Verdicts(wholeRuns)));
            Assert.That(mergedResult.Cells.Select(c => (c.Name, c.ExitCode, string.Join(",", c.Arches))),
                Is.EqualTo(wholeResult.Cells.Select(c => (c.Name, c.ExitCode, string.Join(",", c.Arches)))));
            Assert.That(File.ReadAllText(Path.Combine(Output("merged"), "summary.md")), Does.Contain("merged from"));
        });
    }

    [Test, CancelAfter(TenMinutes)]
    public async Task A_regression_since_the_previous_run_exits_1_and_is_named_in_compare_md(CancellationToken cancellationToken)
    {
        using var dir = new TempDirectory();
        var overlay = File.ReadAllText(Path.Combine(Checkout.Layout.SelftestsDirectory, "expectations.yaml"));
        // Without its known-deviation entry, the RFC's accepted non-zero return is a failure again: the injected regression.
        const string entry = "  async_return.bpf.o:ret_one_async:\n    - known-deviation:\n";
        Assume.That(overlay, Does.Contain(entry), "the overlay entry this test removes");
        var start = overlay.IndexOf(entry, StringComparison.Ordinal);
        var end = overlay.IndexOf("\n  async_return.bpf.o:", start + entry.Length, StringComparison.Ordinal);
        var regressed = dir.Write("regressed.yaml", overlay.Remove(start, end + 1 - start));
        string[] run = ["run", "--arch", "x86_64", "--no-baseline", "--output", dir.Combine("results")];

        var before = await Program.Main(run);
        var after = await Program.Main([.. run, "--expectations", regressed]);

        var runs = Directory.GetDirectories(dir.Combine("results"), "*-run").Order(StringComparer.Ordinal).ToArray();
        var compare = File.ReadAllText(Path.Combine(runs[1], "compare.md"));
        var summary = File.ReadAllText(Path.Combine(runs[1], "summary.md"));
        Assert.Multiple(() =>
        {
            Assert.That((before, after), Is.EqualTo((ExitCodes.Success, ExitCodes.Mismatch)));
            Assert.That(Directory.GetFiles(dir.Combine("results", "history", "run"), "*.json"), Has.Length.EqualTo(2));
            Assert.That(compare, Does.Contain("## New failures (1)").And.Contain("`async_return.bpf.o:ret_one_async`"));
            Assert.That(summary, Does.Contain("**1 new regression(s):**").And.Contain("async_return.bpf.o:ret_one_async"));
            Assert.That(File.Exists(Path.Combine(runs[0], "compare.md")), Is.False, "the first run has nothing to compare with");
            Assert.That(File.ReadAllText(Path.Combine(runs[1], "report.html")), Does.Contain("2 runs, " + Path.GetFileName(runs[0])),
                "the second run's page draws the trend of both runs of its cell");
        });
    }
}
