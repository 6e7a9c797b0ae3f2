using Harness.Errors;
using Harness.Matrix;
using Harness.Reports;
using Harness.Tests.Reports;
using Harness.Tests.Support;

namespace Harness.Tests.Matrix;

/// <summary>
/// Merging shards, on recorded results: Fixtures/matrix/ holds the matrix.json and results.json of a real
/// `run --matrix configs/matrix.yaml` (unsharded) and of its two shards (--shard 1/2: arm64, 2/2: x86_64).
/// </summary>
public class MatrixMergerTests
{
    /// <summary>Every verdict of a matrix result, one line each, in report order.</summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyDictionary<string, RunResult> runs) =>
        runs.OrderBy(r => r.Key, StringComparer.Ordinal)
            .SelectMany(r => r.Value.AllPrograms.Select(p =>
                $"{r.Key} {p.Run.Name} {p.Program.Key} {p.Program.Outcome.Status} {p.Program.Load?.Verdict} {p.Program.Load?.Errno}"))
            .ToArray();

    public static IReadOnlyList<string> Changes(IReadOnlyDictionary<string, RunResult> runs) =>
        runs.OrderBy(r => r.Key, StringComparer.Ordinal).SelectMany(r => r.Value.BaselineChanges.Select(c => $"{r.Key} {c}")).ToArray();

    [Test, CancelAfter(30_000)]
    public async Task Two_recorded_shards_merge_into_the_unsharded_result_verdict_by_verdict(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var shards = MatrixMerger.FindShards([Checkout.Fixture("matrix", "shard-2"), Checkout.Fixture("matrix", "shard-1")]);

        var merged = await MatrixMerger.MergeAsync(shards, output.Combine("merged"), history: null, "bin/harness merge", cancellationToken);

        var (unsharded, unshardedRuns) = MatrixResultFile.Read(Checkout.Fixture("matrix", "unsharded"));
        var (reread, rereadRuns) = MatrixResultFile.Read(output.Combine("merged"));
        Assert.Multiple(() =>
        {
            Assert.That(Verdicts(rereadRuns), Has.Count.GreaterThan(200));
            Assert.That(Verdicts(rereadRuns), Is.EqualTo(Verdicts(unshardedRuns)));
            Assert.That(Changes(rereadRuns), Is.EqualTo(Changes(unshardedRuns)));
            Assert.That(reread.Cells.Select(c => (c.Name, c.ExitCode, string.Join(",", c.Arches))),
                Is.EqualTo(unsharded.Cells.Select(c => (c.Name, c.ExitCode, string.Join(",", c.Arches)))));
            Assert.That(reread.ExitCode, Is.EqualTo(unsharded.ExitCode));
            Assert.That(merged.Result.MergedFrom, Has.Count.EqualTo(2));
            Assert.That(File.ReadAllText(output.Combine("merged", "summary.md")), Does.Contain("debian-6.12_async-kfunc-suffixes_async-kfunc"));
            Assert.That(File.ReadAllText(output.Combine("merged", "report.html")), Does.Contain("debian-6.12_async-kfunc-suffixes_async-kfunc"));
            foreach (var cell in reread.Cells)
                foreach (var report in new[] { "summary.md", "junit.xml", "results.json" })
                    Assert.That(File.Exists(output.Combine("merged", "cells", cell.Name, report)), report);
        });
    }

    [Test]
    public void A_cell_split_by_arch_is_put_back_in_the_cells_arch_order()
    {
        var whole = SampleRun.Build();
        var x86 = whole with { Runs = whole.Runs.Where(r => r.Arch == "x86_64").ToArray() };
        var arm = whole with { Runs = whole.Runs.Where(r => r.Arch == "arm64").ToArray(), BaselineChanges = [] };

        var merged = MatrixMerger.MergeCell([arm, x86], ["x86_64", "arm64"], whole.RunId);

        Assert.That(ResultsJson.Serialize(merged), Is.EqualTo(ResultsJson.Serialize(whole)));
    }

    private static MatrixResult Shard(string shard, string sha = "aa") => new()
    {
        RunId = "20261125-050000-matrix", Matrix = "configs/matrix.yaml", MatrixSha256 = sha + new string('0', 62), Shard = shard,
        StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch, ExitCode = 0, Cells = [],
    };

    [TestCase(new[] { "1/3", "3/3" }, "merge: shard(s) 2/3 missing. Give the output of every shard.")]
    [TestCase(new[] { "1/2", "1/2", "2/2" }, "merge: shard 1/2 given more than once")]
    [TestCase(new[] { "1/2", "2/3" }, "merge: the shards split the matrix differently")]
    public void Refuses_shards_that_do_not_make_one_whole_run(string[] shards, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => MatrixMerger.Check(shards.Select((s, i) => ($"dir{i}", Shard(s))).ToArray()))!;

        Assert.That(e.Message, Does.StartWith(expected));
    }

    [Test]
    public void Refuses_shards_of_different_matrix_files()
    {
        var e = Assert.Throws<BadInputException>(() => MatrixMerger.Check([("a", Shard("1/2", "aa")), ("b", Shard("2/2", "bb"))]))!;

        Assert.That(e.Message, Does.StartWith("merge: the shards ran different matrix files"));
    }
}
