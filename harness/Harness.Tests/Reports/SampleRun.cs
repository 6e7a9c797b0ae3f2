using Harness.Reports;
using Harness.Tests.Verdicts;
using Harness.Verdicts;

namespace Harness.Tests.Reports;

/// <summary>
/// A fixed, realistic run built from the loader fixtures: x86_64 baseline and patched, and an arm64
/// patched kernel that never booted. Everything the reports show occurs once: pass, fail, known
/// deviation, skip, error, baseline flips.
/// </summary>
internal static class SampleRun
{
    private static ProgramExpectation Expect(string obj, string program, ExpectedVerdict verdict, params string[] messages) => new()
    {
        Object = obj, Program = program, Section = "tc", Verdict = verdict, Messages = messages, HasExpectations = true,
    };

    public static IReadOnlyList<ProgramExpectation> Expectations { get; } =
    [
        Expect("async_mem.bpf.o", "mem_read_in_bounds", ExpectedVerdict.Success) with { Description = "an __async MEM callback reads inside mem_size" },
        Expect("async_mem.bpf.o", "mem_read_out_of_bounds", ExpectedVerdict.Failure, "invalid access to memory, mem_size=8 off=16 size=4", "R1=mem(sz=8)"),
        Expect("async_ret.bpf.o", "async_cb_returns_nonzero", ExpectedVerdict.Failure, "At program exit the register R0 has"),
        Expect("async_kinds.bpf.o", "dynptr_arg_rejected", ExpectedVerdict.Failure, "argument #0 of type KF_ARG_PTR_TO_DYNPTR is not supported in async callbacks"),
        Expect("async_kinds.bpf.o", "wq_missing_kfunc", ExpectedVerdict.Success) with { Section = "syscall" },
        Expect("async_kinds.bpf.o", "arm64_only", ExpectedVerdict.Success) with { Arches = ["ARM64"] },
    ];

    public static ExpectationOverlay Overlay { get; } = ExpectationOverlayReader.Parse("selftests/expectations.yaml", """
        programs:
          async_ret.bpf.o:async_cb_returns_nonzero:
            - known-deviation:
                reason: "RFC marks async callbacks in_callback_fn: non-zero return accepted"
                actual: accept
              kernels: [patched]
        """, ["arm64", "x86_64"]);

    public static RunResult Build()
    {
        var patched = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl"));
        var baseline = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-baseline-sample.jsonl"));
        var start = new DateTimeOffset(2025, 5, 18, 14, 23, 1, TimeSpan.Zero);
        const string bootFailure = "boot: no SSH banner within 120 s (serial log: results/20250518-142301/arm64-patched.serial.log, last line: \"Kernel panic - not syncing: VFS: Unable to mount root fs\")";
        return new RunResult
        {
            RunId = "20250518-142301",
            StartedAt = start,
            FinishedAt = start.AddSeconds(412),
            Reproduce = "bin/harness run --config configs/run.yaml --arch x86_64 --arch arm64",
            Inputs = new RunInputs
            {
                Tree = "debian:linux-source-6.12",
                TreeCommit = "3f2c1a9e8b7d6c5b4a39281706f5e4d3c2b1a098",
                Series = "async-kfunc-suffixes",
                Patches =
                [
                    new InputFile("kernel-patches/async-kfunc-suffixes/0001-bpf-add-kfunc_meta-parameter-to-push_callback_call.patch", new string('a', 64)),
                    new InputFile("kernel-patches/async-kfunc-suffixes/0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch", new string('b', 64)),
                ],
                ConfigFiles = [new InputFile("configs/run.yaml", new string('c', 64))],
                Selftests = [new InputFile("selftests/async_mem.bpf.c", new string('d', 64))],
                Baseline = "series without 0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch",
            },
            Versions = new RunVersions
            {
                HarnessGitSha = "0123456789abcdef0123456789abcdef01234567",
                Tools = [new ToolVersion("clang", "19.1.7"), new ToolVersion("qemu", "7.2.15")],
            },
            Runs =
            [
                new ArchRun
                {
                    Arch = "x86_64", Kernel = KernelRole.Baseline, KernelRelease = "6.12.117-harness", Accelerator = "tcg (kvm probe failed: MSR 0x10a)",
                    Stages = [new StageTiming("build", 13.2, Cached: true), new StageTiming("boot", 2.5), new StageTiming("load", 1.1)],
                    BootPhases = [new BootPhase("kernel", 0.4), new BootPhase("ssh", 2.5)],
                    Programs = RunJudge.Judge("x86_64", KernelRole.Baseline, Expectations, baseline, Overlay),
                },
                new ArchRun
                {
                    Arch = "x86_64", Kernel = KernelRole.Patched, KernelRelease = "6.12.117-harness+", Accelerator = "tcg (kvm probe failed: MSR 0x10a)",
                    Stages = [new StageTiming("build", 13.0), new StageTiming("boot", 2.4), new StageTiming("load", 1.2)],
                    BootPhases = [new BootPhase("kernel", 0.4), new BootPhase("ssh", 2.4)],
                    Programs = RunJudge.Judge("x86_64", KernelRole.Patched, Expectations, patched, Overlay),
                },
                new ArchRun
                {
                    Arch = "arm64", Kernel = KernelRole.Patched, Accelerator = "tcg", Error = bootFailure,
                    Stages = [new StageTiming("build", 301.5), new StageTiming("boot", 120.0)],
                    Programs = RunJudge.Judge("arm64", KernelRole.Patched, Expectations, null, Overlay, bootFailure),
                },
            ],
            BaselineChanges = BaselineDiff.Compare("x86_64", baseline.Results, patched.Results),
        };
    }
}
