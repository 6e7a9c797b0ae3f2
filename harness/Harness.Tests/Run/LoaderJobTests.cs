using Harness.Run;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Run;

/// <summary>The job file's lines (what the loader reads with --jobs) and the jobs the host makes from the programs' tags.</summary>
public class LoaderJobTests
{
    private static readonly LoaderJob Unpriv = new("/tmp/selftests/verifier_and.bpf.o", "known_subreg_with_unknown_reg", Unprivileged: true,
        LogLevel: 2, FlagsSet: 0x1, FlagsCleared: 0x4, Auxiliaries: ["helper_a", "helper_b"], TestRun: true, Xlated: true, Jited: false);

    [Test]
    public void A_job_is_one_tab_separated_line_with_every_field_named()
    {
        Assert.That(Unpriv.ToLine(), Is.EqualTo(
            "/tmp/selftests/verifier_and.bpf.o\tknown_subreg_with_unknown_reg\tmode=unpriv\tlog_level=2\tset=0x1\tclear=0x4\taux=helper_a,helper_b\trun=1\txlated=1\tjited=0\tbtf=\tmaps="));
    }

    [Test]
    public void A_privileged_job_without_auxiliaries_has_an_empty_aux_field()
    {
        var job = new LoaderJob("/tmp/selftests/a.bpf.o", "p", false, 0, 0, 0, [], false, false, true);

        Assert.That(job.ToLine(), Is.EqualTo("/tmp/selftests/a.bpf.o\tp\tmode=priv\tlog_level=0\tset=0x0\tclear=0x0\taux=\trun=0\txlated=0\tjited=1\tbtf=\tmaps="));
        Assert.That(job.Key, Is.EqualTo("a.bpf.o:p"));
    }

    [Test]
    public void The_key_of_an_unprivileged_job_is_the_one_its_result_line_has()
    {
        var result = new LoadResult { Object = "verifier_and.bpf.o", Program = "known_subreg_with_unknown_reg", Section = "socket", Verdict = LoadVerdict.Accept, Unprivileged = true };

        Assert.That(Unpriv.Key, Is.EqualTo("verifier_and.bpf.o:known_subreg_with_unknown_reg@unpriv"));
        Assert.That(result.Key, Is.EqualTo(Unpriv.Key));
    }

    [Test]
    public void A_line_reads_back_as_the_same_job()
    {
        var back = LoaderJob.FromLine(Unpriv.ToLine());

        Assert.That(back.ToLine(), Is.EqualTo(Unpriv.ToLine()));
        Assert.That(back.Auxiliaries, Is.EqualTo(new[] { "helper_a", "helper_b" }));
    }

    [Test]
    public void A_btf_path_and_map_values_travel_in_their_fields_and_read_back()
    {
        var job = Unpriv with { BtfPath = "/tmp/selftests/btf__core_reloc_bitfields.bpf.o", MapValues = "map_array_48b:0=0x1c,28=0xabcdef12" };

        var line = job.ToLine();
        var back = LoaderJob.FromLine(line);

        Assert.That(line, Does.EndWith("\tbtf=/tmp/selftests/btf__core_reloc_bitfields.bpf.o\tmaps=map_array_48b:0=0x1c,28=0xabcdef12"));
        Assert.That((back.BtfPath, back.MapValues), Is.EqualTo((job.BtfPath, job.MapValues)));
    }

    [Test]
    public void The_btf_path_of_a_program_is_beside_its_object_and_map_values_go_only_with_a_test_run()
    {
        var tagged = new ProgramExpectation
        {
            Object = "verifier_bitfield_write.bpf.o", Program = "single_field_roundtrip", Section = "tc",
            BtfPath = "btf__core_reloc_bitfields.bpf.o", MapValues = "m:0=0x1",
        };
        var withRetval = tagged with { Program = "runs", Retval = "0" };

        var jobs = LoaderPrograms.For([tagged, withRetval], ExpectationOverlay.Empty, "x86_64", KernelRole.Patched, "/run/objects");

        Assert.That(jobs[0].BtfPath, Is.EqualTo("/run/objects/btf__core_reloc_bitfields.bpf.o"));
        Assert.That(jobs[0].MapValues, Is.Null, "no test run, nothing to write");
        Assert.That(jobs[1].MapValues, Is.EqualTo("m:0=0x1"));
    }

    [Test]
    public void A_job_file_ends_every_line_with_a_newline()
    {
        var file = LoaderJob.File([Unpriv, Unpriv with { Program = "other" }]);

        Assert.That(file.Split('\n'), Has.Length.EqualTo(3));
        Assert.That(file, Does.EndWith("jited=0\tbtf=\tmaps=\n"));
    }

    [TestCase("a\tb.bpf.o", "p", "the object path 'a\tb.bpf.o' contains a tab or a line break")]
    [TestCase("/tmp/a.bpf.o", "p\nq", "the program 'p\nq' contains a tab or a line break")]
    [TestCase("/tmp/a.bpf.o", "", "the program is empty")]
    public void Refuses_a_name_the_line_cannot_carry(string objectPath, string program, string expected)
    {
        var job = new LoaderJob(objectPath, program, false, 0, 0, 0, [], false, false, false);

        Assert.That(() => job.ToLine(), Throws.ArgumentException.With.Message.EqualTo(expected));
    }

    [Test]
    public void Refuses_an_auxiliary_name_with_a_comma()
    {
        var job = Unpriv with { Auxiliaries = ["a,b"] };

        Assert.That(() => job.ToLine(), Throws.ArgumentException.With.Message.EqualTo("auxiliary program 'a,b' contains a comma"));
    }

    [Test]
    public void The_host_makes_one_job_per_row_from_its_tags_and_an_unprivileged_one_for_an_unpriv_row()
    {
        ProgramExpectation P(string name) => new() { Object = "t.bpf.o", Program = name, Section = "socket", HasExpectations = true };
        var expectations = new[]
        {
            P("plain"),
            P("tagged") with { LogLevel = 2, ProgFlagsSet = 0x8, ProgFlagsCleared = 0x4, Retval = "42", XlatedPatterns = [new DisasmPattern("0: r0 = 42", true)] },
            P("tagged") with { Unprivileged = true, TestsUnprivileged = true, LogLevel = 2, UnprivRetval = "1" },
            P("helper") with { Auxiliary = true },
            new ProgramExpectation { Object = "other.bpf.o", Program = "alone", Section = "tc" },
        };

        var jobs = LoaderPrograms.For(expectations, ExpectationOverlay.Empty, "x86_64", KernelRole.Patched);

        Assert.That(jobs.Select(j => j.ToLine()), Is.EqualTo(new[]
        {
            "/tmp/selftests/t.bpf.o\tplain\tmode=priv\tlog_level=0\tset=0x0\tclear=0x0\taux=helper\trun=0\txlated=0\tjited=0\tbtf=\tmaps=",
            "/tmp/selftests/t.bpf.o\ttagged\tmode=priv\tlog_level=2\tset=0x8\tclear=0x4\taux=helper\trun=1\txlated=1\tjited=0\tbtf=\tmaps=",
            "/tmp/selftests/t.bpf.o\ttagged\tmode=unpriv\tlog_level=2\tset=0x0\tclear=0x0\taux=\trun=1\txlated=0\tjited=0\tbtf=\tmaps=",
            "/tmp/selftests/other.bpf.o\talone\tmode=priv\tlog_level=0\tset=0x0\tclear=0x0\taux=\trun=0\txlated=0\tjited=0\tbtf=\tmaps=",
        }));
    }
}
