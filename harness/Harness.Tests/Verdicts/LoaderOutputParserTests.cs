using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

public class LoaderOutputParserTests
{
    [Test]
    public void Reads_every_line_of_captured_loader_output()
    {
        var output = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl"));

        Assert.That(output.Problems, Is.Empty);
        Assert.That(output.Results.Select(r => $"{r.Object}:{r.Program}:{r.Verdict}"), Is.EqualTo(new[]
        {
            "async_mem.bpf.o:mem_read_in_bounds:Accept", "async_mem.bpf.o:mem_read_out_of_bounds:Reject",
            "async_ret.bpf.o:async_cb_returns_nonzero:Accept", "async_kinds.bpf.o:dynptr_arg_rejected:Reject",
            "async_kinds.bpf.o:wq_missing_kfunc:Error",
        }));
        var first = output.Results[0];
        Assert.That((first.Section, first.Errno, first.InsnsProcessed, first.PeakStates, first.TotalStates, first.MaxStatesPerInsn, first.VerifyUsec),
            Is.EqualTo(("tc", 0, 23L, 2L, 3L, 0L, 120L)));
        Assert.That(first.Log, Does.EndWith("processed 23 insns (limit 1000000) max_states_per_insn 0 total_states 3 peak_states 2 mark_read 1\n"));
        Assert.That(output.Results.Select(r => r.WallUsec), Is.EqualTo(new long?[] { 5400, 7250, 6100, 3900, 4800 }), "each job's wall time in the guest");
    }

    [Test]
    public void A_line_from_a_loader_that_does_not_time_its_jobs_has_no_wall_time()
    {
        var line = File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First().Replace(",\"wall_usec\":5400", "");

        Assert.That(LoaderOutputParser.ParseLine(line).WallUsec, Is.Null);
    }

    [Test]
    public void Reads_the_verifiers_error_message_of_a_rejected_program()
    {
        var output = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl"));

        Assert.That(output.Find("async_mem.bpf.o", "mem_read_out_of_bounds")!.ErrorMessage,
            Is.EqualTo("invalid access to memory, mem_size=8 off=16 size=4"));
        Assert.That(output.Find("async_mem.bpf.o", "mem_read_in_bounds")!.ErrorMessage, Is.Null);
    }

    [Test]
    public void Notes_of_a_held_loader_are_neither_results_nor_problems()
    {
        var lines = Fixture.Text("loader", "x86_64-sample.jsonl").Split('\n').ToList();
        lines.Insert(1, "# held before async_mem.bpf.o:mem_read_out_of_bounds: remove /tmp/harness-hold in the guest to go on");
        lines.Insert(2, "# still held before async_mem.bpf.o:mem_read_out_of_bounds");

        var output = LoaderOutputParser.Parse(string.Join('\n', lines));

        Assert.That(output.Problems, Is.Empty);
        Assert.That(output.Results, Has.Count.EqualTo(5));
        Assert.That(output.Results[1].Program, Is.EqualTo("mem_read_out_of_bounds"));
    }

    [TestCase("not json", "line 2: ")]
    [TestCase("{\"object\":\"a.bpf.o\"}", "line 2: missing field(s) program, section, verdict, errno, error, insns_processed, peak_states, total_states, max_states_per_insn, verify_usec, log")]
    [TestCase("[1,2]", "line 2: expected a JSON object, found Array")]
    public void Names_the_line_of_a_malformed_result_and_keeps_the_others(string bad, string expected)
    {
        var good = File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First();

        var output = LoaderOutputParser.Parse($"{good}\n{bad}\n{good}\n");

        Assert.That(output.Results, Has.Count.EqualTo(2));
        Assert.That(output.Problems, Has.Count.EqualTo(1));
        Assert.That(output.Problems[0].ToString(), Does.StartWith(expected));
        Assert.That(output.Problems[0].Text, Is.EqualTo(bad));
    }

    [TestCase("\"verdict\":\"accept\"", "\"verdict\":\"maybe\"", "field verdict is 'maybe'; expected accept, reject or error")]
    [TestCase("\"errno\":0", "\"errno\":\"0\"", "field errno must be a whole number")]
    [TestCase("\"program\":\"mem_read_in_bounds\"", "\"program\":7", "field program must be a string")]
    public void Refuses_a_field_of_the_wrong_type_or_value(string from, string to, string expected)
    {
        var line = File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First().Replace(from, to);

        var output = LoaderOutputParser.Parse(line);

        Assert.That(output.Problems.Single().Reason, Is.EqualTo(expected));
    }

    [Test]
    public void Reports_a_line_cut_off_by_a_crashing_loader()
    {
        var line = File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First();

        var output = LoaderOutputParser.Parse(line[..100]);

        Assert.That(output.Results, Is.Empty);
        Assert.That(output.Problems.Single().Line, Is.EqualTo(1));
    }

    private const string NewLoaderLine =
        "{\"object\":\"t.bpf.o\",\"program\":\"leak\",\"section\":\"socket\",\"verdict\":\"reject\",\"errno\":13,\"error\":\"Permission denied\"," +
        "\"insns_processed\":2,\"peak_states\":0,\"total_states\":0,\"max_states_per_insn\":0,\"verify_usec\":9,\"log\":\"1: (95) exit\\nR0 leaks addr as return value\\n\"," +
        "\"mode\":\"unpriv\",\"unpriv_disabled\":0,\"retval\":null,\"xlated\":null,\"jited_hex\":null,\"kmsg\":\"\"}";

    [Test]
    public void An_unprivileged_result_is_keyed_apart_from_the_privileged_one()
    {
        var priv = File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First().Replace("mem_read_in_bounds", "leak").Replace("async_mem", "t");

        var output = LoaderOutputParser.Parse($"{priv}\n{NewLoaderLine}\n");

        var unpriv = output.Results[1];
        Assert.Multiple(() =>
        {
            Assert.That((unpriv.Unprivileged, unpriv.Mode, unpriv.UnprivDisabled), Is.EqualTo((true, "unpriv", false)));
            Assert.That(unpriv.Key, Is.EqualTo("t.bpf.o:leak@unpriv"));
            Assert.That(output.Find("t.bpf.o", "leak")!.Verdict, Is.EqualTo(LoadVerdict.Accept), "Find gives the privileged load");
            Assert.That(output.Find("t.bpf.o", "leak", unprivileged: true)!.ErrorMessage, Is.EqualTo("R0 leaks addr as return value"));
            Assert.That((unpriv.Retval, unpriv.Xlated, unpriv.JitedHex), Is.EqualTo(((int?)null, (string?)null, (string?)null)));
        });
    }

    [Test]
    public void Reads_the_test_runs_return_value_the_xlated_text_and_the_jit_image()
    {
        var line = NewLoaderLine.Replace("\"mode\":\"unpriv\",\"unpriv_disabled\":0", "\"mode\":\"priv\"")
            .Replace("\"retval\":null", "\"retval\":-2").Replace("\"xlated\":null", "\"xlated\":\"0: r0 = -2\\n1: exit\\n\"")
            .Replace("\"jited_hex\":null", "\"jited_hex\":\"f30f1efa\"");

        var result = LoaderOutputParser.ParseLine(line);

        Assert.Multiple(() =>
        {
            Assert.That((result.Unprivileged, result.Key), Is.EqualTo((false, "t.bpf.o:leak")));
            Assert.That(result.Retval, Is.EqualTo(-2));
            Assert.That(result.Xlated, Is.EqualTo("0: r0 = -2\n1: exit\n"));
            Assert.That(result.JitedHex, Is.EqualTo("f30f1efa"));
            Assert.That((result.RunErrno, result.RunError), Is.EqualTo((0, "")));
        });
    }

    [Test]
    public void A_failed_test_run_has_no_return_value_and_says_why()
    {
        var line = NewLoaderLine.Replace("\"retval\":null", "\"retval\":null,\"run_errno\":524,\"run_error\":\"Unknown error 524\"");

        var result = LoaderOutputParser.ParseLine(line);

        Assert.That((result.Retval, result.RunErrno, result.RunError), Is.EqualTo(((int?)null, 524, "Unknown error 524")));
    }

    [Test]
    public void An_unprivileged_load_with_unprivileged_bpf_disabled_says_so()
    {
        var result = LoaderOutputParser.ParseLine(NewLoaderLine.Replace("\"unpriv_disabled\":0", "\"unpriv_disabled\":2"));

        Assert.That(result.UnprivDisabled, Is.True);
    }

    [Test]
    public void A_line_of_a_loader_without_the_new_fields_is_a_privileged_load_without_a_run()
    {
        var result = LoaderOutputParser.ParseLine(File.ReadLines(Fixture.Path("loader", "x86_64-sample.jsonl")).First());

        Assert.That((result.Unprivileged, result.Retval, result.Xlated, result.JitedHex, result.UnprivDisabled),
            Is.EqualTo((false, (int?)null, (string?)null, (string?)null, false)));
    }

    [TestCase("\"mode\":\"unpriv\"", "\"mode\":\"root\"", "field mode is 'root'; expected priv or unpriv")]
    [TestCase("\"retval\":null", "\"retval\":\"0\"", "field retval must be a whole number or null")]
    [TestCase("\"retval\":null", "\"retval\":4294967296", "field retval 4294967296 is not a 32-bit value")]
    [TestCase("\"xlated\":null", "\"xlated\":[]", "field xlated must be a string or null")]
    public void Refuses_a_new_field_of_the_wrong_type_or_value(string from, string to, string expected)
    {
        var output = LoaderOutputParser.Parse(NewLoaderLine.Replace(from, to));

        Assert.That(output.Problems.Single().Reason, Is.EqualTo(expected));
    }

    [Test]
    public void Reads_the_test_loader_fields_of_captured_output_of_the_job_file_loader()
    {
        var output = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-loader-features.jsonl"));

        var keys = output.Results.Select(r => r.Key).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(output.Problems, Is.Empty);
            Assert.That(keys, Has.Length.EqualTo(13));
            Assert.That(output.Results.First(r => r.Program == "retval_socket").Retval, Is.EqualTo(42));
            Assert.That(output.Results.First(r => r.Program == "retval_syscall").Retval, Is.EqualTo(7));
            Assert.That(output.Results.First(r => r.Program == "rnd_hi32_set").Xlated, Does.StartWith("0: w1 = 7\n1: r11 = ").And.EndWith("3: r1 |= r11\n4: r0 = 0\n5: exit\n"));
            Assert.That(output.Results.First(r => r.Program == "rnd_hi32_cleared").Xlated, Is.EqualTo("0: w1 = 7\n1: r0 = 0\n2: exit\n"));
            var disabled = output.Results.Where(r => r.Unprivileged && r.UnprivDisabled).ToArray();
            Assert.That(disabled.Select(r => (r.Key, r.Verdict, r.Errno)), Is.EqualTo(new[]
            {
                ("loader_features.bpf.o:leak_frame_pointer@unpriv", LoadVerdict.Error, 1), ("loader_features.bpf.o:retval_socket@unpriv", LoadVerdict.Error, 1),
            }));
            var leak = output.Results.Last(r => r.Key == "loader_features.bpf.o:leak_frame_pointer@unpriv");
            Assert.That((leak.UnprivDisabled, leak.Verdict, leak.ErrorMessage), Is.EqualTo((false, LoadVerdict.Reject, "R0 leaks addr as return value")));
            Assert.That(output.Results.Last(r => r.Key == "loader_features.bpf.o:retval_socket@unpriv").Retval, Is.EqualTo(42));
            Assert.That(output.Results.Last(r => r.Key == "loader_features.bpf.o:retval_socket").JitedHex, Does.Contain("b82a000000"), "mov eax, 42");
            Assert.That(output.Find("loader_features.bpf.o", "leak_frame_pointer")!.Verdict, Is.EqualTo(LoadVerdict.Accept));
        });
    }
}
