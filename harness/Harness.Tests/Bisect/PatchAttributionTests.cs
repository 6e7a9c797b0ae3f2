using Harness.Bisect;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Bisect;

public class PatchAttributionTests
{
    private const LoadVerdict A = LoadVerdict.Accept;
    private const LoadVerdict R = LoadVerdict.Reject;
    private const LoadVerdict E = LoadVerdict.Error;

    private static readonly string[] Series = ["0001-prereq.patch", "0002-seed.patch", "0003-kfuncs.patch", "0004-extra.patch"];

    /// <summary>One prefix per verdict: prefix i holds the first i+1 patches of the series.</summary>
    private static IReadOnlyList<PrefixVerdicts> Prefixes(string program, params LoadVerdict?[] verdicts) =>
        verdicts.Select((v, i) => new PrefixVerdicts(Series[i], Series.Take(i + 1).ToArray(), new Dictionary<string, LoadVerdict?> { [program] = v })).ToArray();

    [Test]
    public void Names_the_patch_after_which_a_reject_became_accept()
    {
        var result = PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", R, A, A));

        Assert.That(result.Single().ChangedAfter, Is.EqualTo("0002-seed.patch"));
        Assert.That(result.Single().Kind, Is.EqualTo(ChangeKind.VerdictFlip));
        Assert.That(result.Single().Flip, Is.EqualTo("reject → accept"));
    }

    [Test]
    public void Names_the_patch_from_which_the_final_verdict_stays_not_the_first_time_it_appeared()
    {
        var result = PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", R, A, R, A));

        Assert.That(result.Single().ChangedAfter, Is.EqualTo("0004-extra.patch"));
        Assert.That(result.Single().PerPrefix, Has.Count.EqualTo(4));
    }

    [Test]
    public void Reports_a_program_that_did_not_load_on_the_first_prefix_as_starting_to_load_not_as_a_flip()
    {
        var result = PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", E, E, A));

        Assert.That(result.Single().Kind, Is.EqualTo(ChangeKind.StartsLoading));
        Assert.That(result.Single().Flip, Is.EqualTo("error → accept"));
        Assert.That(result.Single().ChangedAfter, Is.EqualTo("0003-kfuncs.patch"));
    }

    [Test]
    public void Reports_a_program_that_stops_loading()
    {
        var result = PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", A, E, E));

        Assert.That(result.Single().Kind, Is.EqualTo(ChangeKind.StopsLoading));
        Assert.That(result.Single().ChangedAfter, Is.EqualTo("0002-seed.patch"));
    }

    [Test]
    public void Reports_a_program_whose_load_oopses_with_the_series_as_starting_to_oops_not_as_stopping_to_load()
    {
        var result = PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", A, LoadVerdict.Oops, LoadVerdict.Oops));

        Assert.That(result.Single().Kind, Is.EqualTo(ChangeKind.StartsOopsing));
        Assert.That(result.Single().Flip, Is.EqualTo("accept → oops"));
        Assert.That(result.Single().ChangedAfter, Is.EqualTo("0002-seed.patch"));
    }

    [TestCase(null, LoadVerdict.Accept)]
    [TestCase(LoadVerdict.Accept, null)]
    [TestCase(LoadVerdict.Error, null)]
    public void Leaves_a_program_without_a_result_on_either_end_to_the_not_compared_list(LoadVerdict? first, LoadVerdict? final)
    {
        var prefixes = Prefixes("a.bpf.o:cb", first, R, final);

        Assert.That(PatchAttribution.Attribute(prefixes), Is.Empty);
        Assert.That(PatchAttribution.NotCompared(prefixes), Is.EqualTo(new[] { "a.bpf.o:cb" }));
    }

    [Test]
    public void Leaves_out_a_program_whose_first_and_final_verdicts_agree()
    {
        Assert.That(PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", A, R, A)), Is.Empty);
    }

    [Test]
    public void Attributes_nothing_with_a_single_prefix()
    {
        Assert.That(PatchAttribution.Attribute(Prefixes("a.bpf.o:cb", R)), Is.Empty);
    }
}
