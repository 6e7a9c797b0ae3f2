using System.Diagnostics;
using System.Text;
using Harness.Cli;
using Harness.Errors;
using Harness.Processes;
using Harness.Reports;
using Harness.Run;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// The in-guest loader on a real x86_64 guest (patched kernel, warm cache), through `harness run`: a job list of any
/// size goes to the guest as a file, and each loader feature test_loader has (test runs, flags, xlated text, JIT
/// image, unprivileged loads) does on the real kernel what the program's tags say it must.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class LoaderEndToEndTests
{
    private const int HalfHour = 1_800_000;

    private const string FeaturesObject = "loader_features.bpf.o";

    [Test, CancelAfter(HalfHour)]
    public async Task Two_thousand_programs_load_in_one_run_and_every_one_gets_a_result(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var selftests = Directory.CreateDirectory(output.Combine("selftests")).FullName;
        var (objects, perObject) = (100, 20);
        var compiled = await CompileAsync(output.Write("many.c", ManyPrograms(perObject)), cancellationToken);
        for (var i = 0; i < objects; i++) File.Copy(compiled, Path.Combine(selftests, $"many_{i:D3}.bpf.o"));

        var clock = Stopwatch.StartNew();
        var exitCode = await Program.Main(["run", "--config", RunConfigs.WithLimits(output), "--arch", "x86_64", "--no-baseline",
            "--selftests", selftests, "--output", output.Combine("out")]);
        var wall = clock.Elapsed;

        var run = Results(output);
        var loaderLog = File.ReadAllText(Directory.GetFiles(Path.Combine(output.Combine("out"), ReportWriter.LatestLink, "logs"), "*-patched-loader*").Single());
        var load = run.Stages.Single(s => s.Stage == "load").Seconds;
        TestContext.Progress.WriteLine($"{run.Programs.Count} programs: load stage {load:F1} s ({load * 1000 / run.Programs.Count:F1} ms a program), whole run {wall.TotalSeconds:F1} s");
        Assert.Multiple(() =>
        {
            Assert.That(run.Programs, Has.Count.EqualTo(objects * perObject));
            Assert.That(run.Programs.Where(p => p.Load is null).Select(p => $"{p.Key}: {p.Outcome.Reason}"), Is.Empty, "every program got a result line");
            Assert.That(run.Error, Is.Null);
            Assert.That(loaderLog, Does.Not.Contain("Packet is too big").And.Not.Contain("Bad packet size"));
            Assert.That(run.Programs.Select(p => p.Load!.Key), Is.EqualTo(run.Programs.Select(p => p.Key)), "each result is the job's own");
            Assert.That(run.Programs.Where(p => p.Load!.WallUsec is not > 0).Select(p => p.Key), Is.Empty, "each job timed by the loader's clock");
            Assert.That(run.Programs.Where(p => !p.Outcome.AsExpected).Select(p => $"{p.Key}: {p.Outcome.Reason}"), Is.Empty);
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        });
    }

    [Test, CancelAfter(HalfHour)]
    public async Task Each_loader_feature_does_on_a_real_kernel_what_the_programs_tags_say(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var selftests = Directory.CreateDirectory(output.Combine("selftests")).FullName;
        File.Copy(Path.Combine(Checkout.Layout.Root, "harness", "Harness.Tests", "Fixtures", "loader-features", "loader_features.c"),
            Path.Combine(selftests, "loader_features.c"));
        // The run's own @unpriv rows see the sysctl as the kernel booted; to see both settings, while the run's loader
        // is held the same loader runs a job file of our own, first as booted, then with unprivileged BPF enabled.
        var inject = GuestInjection.WhenHeldAsync(output.Path, InjectedScript(), cancellationToken);

        var exitCode = await Program.Main(["run", "--config", RunConfigs.WithLimits(output), "--arch", "x86_64", "--no-baseline",
            "--selftests", selftests, "--hold-before", $"{FeaturesObject}:retval_socket", "--output", output.Combine("out")]);
        var (injected, _) = await inject;

        var run = Results(output);
        var program = run.Programs.Where(p => !p.Expectation.Unprivileged).ToDictionary(p => p.Expectation.Program);
        var unprivRow = run.Programs.Single(p => p.Key == $"{FeaturesObject}:leak_frame_pointer@unpriv");
        var sections = Sections(injected);
        TestContext.Progress.WriteLine(injected);
        TestContext.Progress.WriteLine(string.Join('\n', run.Programs.Select(p => $"{p.Key}: retval {p.Load?.Retval} xlated:\n{p.Load?.Xlated}")));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), string.Join('\n', run.Programs.Select(p => $"{p.Key}: {p.Outcome.Status} {p.Outcome.Reason}")));
            foreach (var name in new[] { "retval_socket", "retval_syscall" })
            {
                var p = program[name];
                Assert.That(p.Load!.Retval, Is.EqualTo(int.Parse(p.Expectation.Retval!)), $"{name}: the test run's return value is __retval's");
            }
            foreach (var name in new[] { "rnd_hi32_set", "rnd_hi32_cleared" })
            {
                var p = program[name];
                Assert.That(p.Load!.Xlated, Is.Not.Null, name);
                Assert.That(VerifierLog.MatchInOrder(p.Load.Xlated!, p.Expectation.Xlated).Where(m => !m.Found).Select(m => m.Pattern), Is.Empty,
                    $"{name}: every __xlated line in order, in:\n{p.Load.Xlated}");
                Assert.That(p.Load.Retval, Is.Null, $"{name}: no __retval, no test run");
            }
            Assert.That(program["rnd_hi32_set"].Load!.Xlated, Does.Contain("r11"), "the flag the tags set reached the kernel");
            Assert.That(program["rnd_hi32_cleared"].Load!.Xlated, Does.Not.Contain("r11"), "the flag the tags clear is off, though the kernel accepts it");
            Assert.That(program["leak_frame_pointer"].Load!.Verdict, Is.EqualTo(LoadVerdict.Accept), "privileged: __success");

            var bootValue = int.Parse(sections["sysctl"].Trim());
            var disabled = LoaderOutputParser.Parse(sections["disabled"]);
            Assert.That(sections["disabled"], Does.StartWith($"# unprivileged_bpf_disabled={bootValue}\n"));
            Assert.That(disabled.Results.Where(r => r.Unprivileged).Select(r => r.UnprivDisabled), Is.All.EqualTo(bootValue != 0),
                "every unprivileged result says whether test_loader would have skipped it");
            Assert.That(unprivRow.Load!.Unprivileged, Is.True, "the host made the @unpriv row an unprivileged job");
            Assert.That((unprivRow.Outcome.Status == OutcomeStatus.Skip, unprivRow.Outcome.AsExpected), Is.EqualTo((bootValue != 0, true)),
                $"skipped as test_loader skips it where the sysctl is set, else judged: {unprivRow.Outcome.Status} {unprivRow.Outcome.Reason}");
            Assert.That(sections["enabled"], Does.StartWith("# unprivileged_bpf_disabled=0\n"));

            var enabled = LoaderOutputParser.Parse(sections["enabled"]);
            Assert.That(enabled.Problems, Is.Empty);
            var leak = program["leak_frame_pointer"].Expectation;
            var leakPriv = enabled.Find(FeaturesObject, "leak_frame_pointer")!;
            var leakUnpriv = enabled.Find(FeaturesObject, "leak_frame_pointer", unprivileged: true)!;
            Assert.That(leakPriv.Verdict, Is.EqualTo(leak.EffectiveVerdict == ExpectedVerdict.Success ? LoadVerdict.Accept : LoadVerdict.Reject));
            Assert.That((leakUnpriv.Key, leakUnpriv.Mode, leakUnpriv.UnprivDisabled), Is.EqualTo(($"{FeaturesObject}:leak_frame_pointer@unpriv", "unpriv", false)));
            Assert.That(leakUnpriv.Verdict, Is.EqualTo(leak.UnprivVerdict == ExpectedVerdict.Failure ? LoadVerdict.Reject : LoadVerdict.Accept),
                $"unprivileged: the capabilities were dropped for the load ({leakUnpriv.Error})");
            Assert.That(VerifierLog.MatchInOrder(leakUnpriv.Log, leak.UnprivMessages).Where(m => !m.Found).Select(m => m.Pattern), Is.Empty, leakUnpriv.Log);

            var runUnpriv = enabled.Find(FeaturesObject, "retval_socket", unprivileged: true)!;
            Assert.That((runUnpriv.Verdict, runUnpriv.Retval), Is.EqualTo((LoadVerdict.Accept, (int?)int.Parse(program["retval_socket"].Expectation.Retval!))),
                "an unprivileged load is test-run with the capabilities back, as test_loader does");
            var jited = enabled.Find(FeaturesObject, "retval_socket")!.JitedHex;
            Assert.That(jited, Is.Not.Null.And.Match("^([0-9a-f]{2})+$"), "CONFIG_BPF_JIT_ALWAYS_ON: the JIT image's bytes");
        });
    }

    /// <summary>The guest script: the sysctl as booted, the jobs with it, then the jobs with unprivileged BPF enabled.</summary>
    private static string InjectedScript()
    {
        LoaderJob Job(string program, bool unpriv, bool run = false, bool jited = false) =>
            new($"{LoaderPrograms.GuestObjectDirectory}/{FeaturesObject}", program, unpriv, 0, 0, 0, [], run, false, jited);
        var jobs = LoaderJob.File([Job("leak_frame_pointer", false), Job("leak_frame_pointer", true), Job("retval_socket", true, run: true),
            Job("retval_socket", false, jited: true)]);
        const string file = "/tmp/features-jobs.txt";
        var script = new StringBuilder();
        script.Append($"printf %s {ShellQuoting.Quote(jobs)} > {file}; ");
        script.Append("echo '=== sysctl'; cat /proc/sys/kernel/unprivileged_bpf_disabled; ");
        script.Append($"echo '=== disabled'; {Harness.Selftests.GuestTools.LoaderGuestPath} --jobs {file}; ");
        script.Append("echo 0 > /proc/sys/kernel/unprivileged_bpf_disabled; ");
        script.Append($"echo '=== enabled'; {Harness.Selftests.GuestTools.LoaderGuestPath} --jobs {file}; echo '=== end'");
        return script.ToString();
    }

    /// <summary>The injected script's output by its "=== NAME" markers.</summary>
    private static Dictionary<string, string> Sections(string output)
    {
        var sections = new Dictionary<string, string>();
        string? name = null;
        var text = new StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
            {
                if (name is not null) sections[name] = text.ToString();
                (name, text) = (line[4..].Trim(), new StringBuilder());
            }
            else text.Append(line).Append('\n');
        }
        Assert.That(sections.Keys, Is.SupersetOf(new[] { "sysctl", "disabled", "enabled" }), output);
        return sections;
    }

    /// <summary>A C file of <paramref name="count"/> socket filters, each __success in the selftest convention; needs no header.</summary>
    private static string ManyPrograms(int count)
    {
        var c = new StringBuilder();
        c.AppendLine("#define SEC(name) __attribute__((section(name), used))");
        c.AppendLine("#define __success __attribute__((btf_decl_tag(\"comment:test_expect_success\")))");
        c.AppendLine("char _license[] SEC(\"license\") = \"GPL\";");
        for (var i = 0; i < count; i++)
            c.AppendLine($"SEC(\"socket\") __success int p{i:D2}(void *ctx) {{ return {i}; }}");
        return c.ToString();
    }

    /// <summary>Compiles a BPF C file the way the selftests are (clang-19, BTF); returns the object.</summary>
    private static async Task<string> CompileAsync(string source, CancellationToken cancellationToken)
    {
        var result = await RealGuests.Runner.RunAsync(ProcessSpec.Of("clang-19", "-target", "bpf", "-g", "-O2", "-mcpu=v3", "-c", source, "-o", source + ".o"),
            cancellationToken);
        Assert.That(result.ExitCode, Is.EqualTo(0), string.Join('\n', result.OutputTail));
        return source + ".o";
    }

    private static ArchRun Results(TempDirectory output) =>
        ResultsJson.Deserialize(File.ReadAllText(Path.Combine(output.Combine("out"), ReportWriter.LatestLink, ReportWriter.ResultsFile))).Runs.Single();
}
