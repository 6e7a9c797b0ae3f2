using Harness.Cli;
using Harness.Tests.Patches.Inputs;
using Harness.Tests.Support;

namespace Harness.Tests.EndToEnd;

/// <summary>The web archive copy of the RFC, imported against the real Debian 6.12 tree at its base commit and applied with git am.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class ArchiveCopyEndToEndTests
{
    [Test, CancelAfter(600_000)]
    public async Task The_archive_copy_is_imported_against_the_real_tree_and_applies_clean(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var layout = Harness.Config.ProjectLayout.Locate();
        var config = Harness.Config.RunConfigReader.Read(layout.DefaultRunConfig, Harness.Config.ArchRegistry.Load(layout.ArchDirectory)) with
        {
            SeriesDirectory = SeriesFixtures.ArchiveCopyPath,
            OutputDirectory = output.Path,
        };
        var context = await Harness.Patches.Inputs.SeriesInputStage.RunAsync(StageContexts.Create(config, "archive"), cancellationToken);
        var tree = await Harness.Tree.TreeStage.RunAsync(context, cancellationToken);

        var variant = await Harness.Patches.ApplyStage.ApplyAsync(context, tree, Harness.Patches.AppliedVariant.Patched,
            Harness.Patches.SeriesReader.Read(context.Config.SeriesDirectory), cancellationToken);

        var report = Harness.Patches.Inputs.SeriesInputReport.For(context.Config.SeriesInput, context.Config.SeriesDirectory, variant);
        var patch = report.Patches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Kind, Is.EqualTo(Harness.Patches.Inputs.SeriesInputKind.ArchiveCopy));
            Assert.That(patch.Applied, Is.EqualTo(Harness.Patches.PatchApplication.Clean));
            Assert.That(patch.How, Is.EqualTo("imported (9 hunks re-placed, 9 with offsets (+4..+1119), 9 re-indented, 3 context lines differed), then clean"));
            Assert.That(context.Config.BaselineWithout, Is.EqualTo(new[] { patch.Name }), "baseline.without follows the renumbered seed");
        });
    }
}
