using Harness.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Harness.Tests.Matrix;

/// <summary>The shipped GitHub Actions pipeline parses and does what the README says: shards run the matrix, a merge job joins them.</summary>
public class NightlyWorkflowTests
{
    private static YamlMappingNode Workflow()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Checkout.Layout.Root, ".github", "workflows", "harness-nightly.yml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Runs(YamlNode job) =>
        string.Join("\n", ((YamlSequenceNode)job["steps"]).Children.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run")).Select(s => s["run"].ToString()));

    [Test]
    public void Shard_jobs_run_the_matrix_by_shard_and_upload_their_results()
    {
        var shard = Workflow()["jobs"]["shard"];

        var shards = ((YamlSequenceNode)shard["strategy"]["matrix"]["shard"]).Children.Select(n => n.ToString()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(shards, Is.EqualTo(new[] { "1", "2" }));
            Assert.That(Runs(shard), Does.Contain("make deps build"));
            Assert.That(Runs(shard), Does.Contain("bin/harness run --matrix configs/matrix.yaml --shard ${{ matrix.shard }}/${{ strategy.job-total }}"));
            Assert.That(shard.ToString(), Does.Contain("actions/upload-artifact").And.Contain("~/.cache/harness"));
        });
    }

    [Test]
    public void The_merge_job_waits_for_every_shard_downloads_them_and_merges()
    {
        var merge = Workflow()["jobs"]["merge"];

        Assert.Multiple(() =>
        {
            Assert.That(merge["needs"].ToString(), Is.EqualTo("shard"));
            Assert.That(merge.ToString(), Does.Contain("actions/download-artifact"));
            Assert.That(Runs(merge), Does.Contain("bin/harness merge shards -o"));
        });
    }
}
