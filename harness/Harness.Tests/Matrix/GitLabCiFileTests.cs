using System.IO.Enumeration;
using System.Text.RegularExpressions;
using Harness.Errors;
using Harness.Matrix;
using Harness.Reports;
using Harness.Reports.Html;
using Harness.Tests.Support;

namespace Harness.Tests.Matrix;

/// <summary>
/// The project's .gitlab-ci.yml agrees with the harness: each shard job's runner tag names the arch its shard really
/// runs, the merge job needs every shard and reads the directories they write, the JUnit and HTML paths are where
/// `harness merge` writes them, and the exit-code policy is the one docs/gitlab-ci.md states.
/// GitLabCiLocalEndToEndTests runs the same file for real.
/// </summary>
public class GitLabCiFileTests
{
    private static readonly GitLabCiFile Ci = GitLabCiFile.Read();

    private static int ShardCount => int.Parse(Ci.Variable("HARNESS_SHARDS"));

    /// <summary>`--output "X"` of a job's harness command, with the job's SHARD put in.</summary>
    private static string Output(string job, int shard = 0) =>
        Regex.Match(Ci.Script(job), @"--output ""?([^""\s]+)""?").Groups[1].Value.Replace("$SHARD", shard.ToString());

    [Test]
    public void The_shard_entries_are_shards_1_to_N_once_each()
    {
        Assert.That(Ci.ShardEntries.Select(e => e.Shard).Order(), Is.EqualTo(Enumerable.Range(1, ShardCount)),
            "HARNESS_SHARDS must be the number of entries of shard.parallel.matrix, SHARD 1..N");
        Assert.That(Ci.Script("shard"), Does.Contain("--shard \"$SHARD/$HARNESS_SHARDS\"").And.Contain("--matrix \"$HARNESS_MATRIX\""));
    }

    [TestCase("configs/matrix.yaml")]
    [TestCase("configs/ci-small-matrix.yaml")]
    public void Each_shard_job_runs_only_the_arch_its_runner_tag_names(string matrixFile)
    {
        var matrix = MatrixConfigReader.Read(Path.Combine(Checkout.Layout.Root, matrixFile), Checkout.Arches);

        foreach (var (shard, arch) in Ci.ShardEntries)
        {
            var units = new MatrixShard(shard, ShardCount).Select(matrix.Units);
            Assert.That(units, Is.Not.Empty, $"shard {shard}/{ShardCount} of {matrixFile} has nothing to run");
            Assert.That(units.Select(u => u.Arch).Distinct(), Is.EqualTo(new[] { arch }),
                $"shard {shard}/{ShardCount} of {matrixFile} runs {string.Join(", ", units)}, but its entry says ARCH {arch}");
        }
        Assert.That(Ci.Tags("shard"), Does.Contain("harness-$ARCH"));
    }

    [Test]
    public void The_default_matrix_is_the_nightly_one_and_exists()
    {
        Assert.That(Ci.Variable("HARNESS_MATRIX"), Is.EqualTo("configs/matrix.yaml"));
        Assert.That(File.Exists(Path.Combine(Checkout.Layout.Root, Ci.Variable("HARNESS_MATRIX"))));
    }

    [Test]
    public void The_merge_job_needs_every_shard_with_its_artifacts_and_reads_what_each_writes()
    {
        var inputs = Regex.Match(Ci.Script("merge"), @"merge\s+(\S+)\s+--output").Groups[1].Value;

        Assert.That(Ci.Needs("merge"), Is.EqualTo(new[] { ("shard", true) }), "needs the shard job (every entry of its matrix), artifacts included");
        Assert.That(Ci.When("merge"), Is.EqualTo("always"), "merges after a failed shard too: its matrix.json says why");
        Assert.That(Ci.ArtifactsWhen("shard"), Is.EqualTo("always"), "a failed shard's results still reach the merge");
        foreach (var (shard, _) in Ci.ShardEntries)
        {
            var written = Output("shard", shard);
            Assert.That(written, Does.StartWith("results/"), $"shard {shard}'s --output");
            Assert.That(Ci.ArtifactPaths("shard").Any(p => Under(written, p.Replace("$SHARD", shard.ToString()))),
                $"shard {shard} writes {written}, which its artifacts must hold");
            Assert.That(FileSystemName.MatchesSimpleExpression(inputs, written), $"merge reads {inputs}, which must match shard {shard}'s {written}");
        }
    }

    [Test]
    public void The_merge_job_publishes_junit_and_the_html_report_where_harness_merge_writes_them()
    {
        var merged = Output("merge");

        Assert.That(Ci.JunitReports("merge"), Is.EqualTo(new[] { $"{merged}/{MatrixResult.CellsDirectory}/*/{ReportWriter.JunitFile}" }));
        Assert.That(Ci.ArtifactPaths("merge").Any(p => Under($"{merged}/{HtmlReport.FileName}", p)), "report.html in the artifacts");
        Assert.That(Ci.ArtifactPaths("merge").Any(p => Under($"{merged}/{MatrixResult.File}", p)), "matrix.json in the artifacts");
        var history = Regex.Match(Ci.Script("merge"), @"--history\s+(\S+)").Groups[1].Value;
        Assert.That(Ci.CachePaths("merge").Any(p => Under(history + "/x.json", p)), "the history is cached between pipelines");
    }

    [Test]
    public void Shards_pass_on_results_and_the_merge_fails_on_a_mismatch_but_only_warns_on_a_baseline_error()
    {
        Assert.That(Ci.ScriptAcceptedExitCodes("shard"), Is.EquivalentTo(new[] { ExitCodes.Success, ExitCodes.Mismatch, ExitCodes.BaselineError }));
        Assert.That(Ci.AllowFailureExitCodes("merge"), Is.EqualTo(new[] { ExitCodes.BaselineError }));
        Assert.That(Ci.Script("merge"), Does.Contain("exit \"$code\""), "the merge job exits with harness merge's code");
    }

    /// <summary>Whether <paramref name="file"/> lies under the artifact path <paramref name="path"/> (a directory ending in '/', or the file).</summary>
    private static bool Under(string file, string path) =>
        path.EndsWith('/') ? (file + "/").StartsWith(path, StringComparison.Ordinal) : file == path;
}
