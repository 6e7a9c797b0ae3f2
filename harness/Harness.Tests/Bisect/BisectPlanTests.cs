using Harness.Bisect;
using Harness.Errors;
using Harness.Patches;
using NUnit.Framework;

namespace Harness.Tests.Bisect;

public class BisectPlanTests
{
    private static readonly PatchSeries Series = new("/s", "/s/series",
        [new("0001-prereq.patch", "/s/0001", 1), new("0002-seed.patch", "/s/0002", 2), new("0003-kfuncs.patch", "/s/0003", 3)]);

    private static string[] Names(IReadOnlyList<PatchSeries> prefixes) =>
        prefixes.Select(p => string.Join("+", p.Patches.Select(e => e.Name[..4]))).ToArray();

    [Test]
    public void Builds_one_prefix_per_patch_in_series_order()
    {
        Assert.That(Names(BisectPlan.Prefixes(Series, [])), Is.EqualTo(new[] { "0001", "0001+0002", "0001+0002+0003" }));
    }

    [Test]
    public void Keeps_a_base_with_patch_in_every_prefix_at_its_place_in_the_series()
    {
        var prefixes = BisectPlan.Prefixes(Series, ["0003-kfuncs.patch"]);

        Assert.That(Names(prefixes), Is.EqualTo(new[] { "0001+0003", "0001+0002+0003" }));
        Assert.That(prefixes.Select(p => BisectPlan.StepPatch(p, ["0003-kfuncs.patch"])), Is.EqualTo(new[] { "0001-prereq.patch", "0002-seed.patch" }));
    }

    [TestCase("0009-nope.patch", "--base-with 0009-nope.patch: /s/series does not list it. Listed: 0001-prereq.patch, 0002-seed.patch, 0003-kfuncs.patch.")]
    public void Rejects_a_base_with_patch_the_series_does_not_list(string name, string message)
    {
        var error = Assert.Throws<BadInputException>(() => BisectPlan.Prefixes(Series, [name]));
        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Rejects_base_with_every_patch()
    {
        var error = Assert.Throws<BadInputException>(() => BisectPlan.Prefixes(Series, Series.Patches.Select(p => p.Name).ToArray()));
        Assert.That(error!.Message, Does.Contain("nothing is left to bisect"));
    }
}
