using Harness.Selection;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Selection;

/// <summary>Allow and deny as test_progs' should_run/should_run_subtest, and how denied programs reach the reports (skip, with the reason).</summary>
public class ProgramFilterTests
{
    private static readonly ProgramExpectation[] Rows =
    [
        new() { Object = "async_mem.bpf.o", Program = "read_first", Section = "tc" },
        new() { Object = "async_mem.bpf.o", Program = "read_past_end", Section = "tc" },
        new() { Object = "async_mem.bpf.o", Program = "read_past_end", Section = "tc", Unprivileged = true },
        new() { Object = "async_mem.bpf.o", Program = "helper", Section = "tc", Auxiliary = true },
        new() { Object = "async_map.bpf.o", Program = "map_null", Section = "tc" },
        new() { Object = "async_map.bpf.o", Program = "map_helper", Section = "tc", Auxiliary = true },
    ];

    private static NamePattern P(string text, bool glob = true, string where = "-a") => NamePattern.Parse(text, glob, where);

    [Test]
    public void No_patterns_keep_every_row()
    {
        var result = ProgramFilter.All.Apply(Rows);
        Assert.That(result.Rows, Is.EqualTo(Rows));
        Assert.That(result.Denied, Is.Empty);
    }

    [Test]
    public void An_allow_pattern_keeps_its_rows_and_the_auxiliary_programs_of_their_object()
    {
        var result = new ProgramFilter([P("mem", glob: false, "-t")], []).Apply(Rows);
        Assert.That(result.Rows.Select(r => r.Key), Is.EqualTo(new[]
        {
            "async_mem.bpf.o:read_first", "async_mem.bpf.o:read_past_end", "async_mem.bpf.o:read_past_end@unpriv", "async_mem.bpf.o:helper",
        }));
    }

    [Test]
    public void Repeated_allow_patterns_add_up()
    {
        var result = new ProgramFilter([P("read_first"), P("map_null")], []).Apply(Rows);
        Assert.That(result.Rows.Where(r => !r.Auxiliary).Select(r => r.Key), Is.EqualTo(new[] { "async_mem.bpf.o:read_first", "async_map.bpf.o:map_null" }));
    }

    [Test]
    public void A_denied_row_stays_in_the_run_as_a_skip_with_the_pattern_and_reason_and_is_never_loaded()
    {
        var deny = DenylistFile.Parse("DENYLIST", "async_mem/read_past_end@unpriv   # loads twice here\n", glob: true);
        var result = new ProgramFilter([], deny).Apply(Rows);
        var overlay = result.Overlay(ExpectationOverlay.Empty);
        var denied = Rows[2];

        var outcome = VerdictComparer.Compare(denied, null, overlay.Find(denied, "x86_64", KernelRole.Patched), "x86_64", null);
        Assert.Multiple(() =>
        {
            Assert.That(result.Denied.Select(d => d.Row.Key), Is.EqualTo(new[] { "async_mem.bpf.o:read_past_end@unpriv" }));
            Assert.That(outcome.Status, Is.EqualTo(OutcomeStatus.Skip), "denied is never pass");
            Assert.That(outcome.Reason, Is.EqualTo("denied by DENYLIST:1 async_mem/read_past_end@unpriv: loads twice here"));
            Assert.That(overlay.Find(Rows[1], "x86_64", KernelRole.Patched), Is.Null, "the privileged row is not denied");
            Assert.That(Harness.Run.LoaderPrograms.For(result.Rows, overlay, "x86_64", KernelRole.Patched).Select(j => j.Program + (j.Unprivileged ? "@unpriv" : "")),
                Does.Not.Contain("read_past_end@unpriv").And.Contain("read_past_end"));
        });
    }

    [Test]
    public void A_deny_wins_over_an_allow_of_the_same_row()
    {
        var result = new ProgramFilter([P("async_mem")], [P("read_first", where: "-d")]).Apply(Rows);
        Assert.That(result.Denied.Select(d => d.Row.Key), Is.EqualTo(new[] { "async_mem.bpf.o:read_first" }));
        Assert.That(result.Rows, Does.Contain(Rows[0]), "denied rows are reported, as skips");
    }

    [Test]
    public void A_deny_of_a_row_outside_the_allowed_set_is_not_reported()
    {
        var result = new ProgramFilter([P("async_map")], [P("read_first", where: "-d")]).Apply(Rows);
        Assert.That(result.Denied, Is.Empty);
        Assert.That(result.Rows.Select(r => r.Object).Distinct(), Is.EqualTo(new[] { "async_map.bpf.o" }));
    }

    [Test]
    public void A_pattern_that_names_no_program_is_listed_as_unmatched()
    {
        var result = new ProgramFilter([P("mem", glob: false, "-t"), P("nothing_here")], [P("helper", where: "-d")]).Apply(Rows);
        Assert.That(result.Unmatched.Select(p => p.Written), Is.EqualTo(new[] { "-a nothing_here", "-d helper" }),
            "an auxiliary program is no test: a pattern naming only it names nothing");
    }
}
