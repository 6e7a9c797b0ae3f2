using System.Diagnostics;
using System.Text.Json;
using Harness.Errors;
using Harness.Processes;
using Harness.Reports;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM while the kernel builds: the real CLI (bin/harness run) on a fake kernel tree whose make
/// sleeps at the image target (tuxmake's fakelinux: no compiler, no real build), with a scratch config, cache, output and
/// TMPDIR. The run must exit 130 with an aborted result naming the build, and leave no make, no lock, no temp directory
/// and no kernel; the next run must reach the build again without waiting for a lock, and be stopped the same way.
/// </summary>
[Category("Faults")]
[NonParallelizable]
public class BuildInterruptFaultTests
{
    private const int FiveMinutes = 300_000;

    private const string KernelMakeSleep = FakeTreeRun.KernelMakeSleep, LoaderMakeSleep = FakeTreeRun.LoaderMakeSleep;

    [TestCase("-INT"), TestCase("-TERM"), CancelAfter(FiveMinutes)]
    public async Task A_signal_while_make_builds_the_kernel_stops_it_and_leaves_nothing_behind(string signal, CancellationToken cancellationToken)
    {
        using var scratch = new TempDirectory();
        var config = await FakeTreeRun.WriteConfigAsync(scratch, cancellationToken);

        foreach (var name in new[] { "interrupted", "next" })
        {
            var run = BuildRun.Start(scratch, config, name, cancellationToken);
            await run.WaitForMakeAsync(cancellationToken);
            Assert.That(run.Transcript, Does.Not.Contain("waiting for another harness run").And.Not.Contain("recovered"),
                $"{name} run: a cache lock outlived the run before it");
            run.Signal(signal);
            var result = await run.Process;

            var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch.Combine("out"), ReportWriter.LatestLink, ReportWriter.ResultsFile))).RootElement;
            var locks = scratch.Combine("cache", "locks");
            var kernels = scratch.Combine("cache", "kernels");
            var left = await LeftAfterAsync(scratch.Path, TimeSpan.FromSeconds(5));
            var sleeping = (await LeftAfterAsync("sleep " + KernelMakeSleep, TimeSpan.FromSeconds(5))).Concat(await LeftAfterAsync("sleep " + LoaderMakeSleep, TimeSpan.FromSeconds(5)));
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Interrupted), $"{name} run:\n{result.Transcript()}");
                Assert.That(results.GetProperty("aborted").GetBoolean(), Is.True, name);
                Assert.That(results.GetProperty("aborted_during").GetString(), Does.StartWith("x86_64 build"), name);
                Assert.That(left, Is.Empty, $"{name} run: processes left (make, its children)");
                Assert.That(sleeping, Is.Empty, $"{name} run: the fake make's children left");
                Assert.That(Directory.GetFiles(locks).Where(f => new FileInfo(f).Length > 0), Is.Empty, $"{name} run: a lock still names its holder");
                Assert.That(Directory.GetFileSystemEntries(scratch.Combine(name, "tmp")), Is.Empty, $"{name} run: temp left");
                Assert.That(Directory.Exists(kernels) ? Directory.GetFiles(kernels, "*", SearchOption.AllDirectories) : [], Is.Empty,
                    $"{name} run: a kernel (or part of one) was kept from a stopped build");
            });
        }
    }

    /// <summary>Processes naming <paramref name="marker"/> still there after up to <paramref name="time"/> (killed ones may take a moment to go).</summary>
    private static async Task<IReadOnlyList<string>> LeftAfterAsync(string marker, TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (ProcessTable.Containing(marker).Count > 0 && clock.Elapsed < time) await Task.Delay(100);
        return ProcessTable.Containing(marker);
    }

    /// <summary>`bin/harness run --config CONFIG` with SIGINT at its default (see RunInterruptEndToEndTests) and its own TMPDIR.</summary>
    private sealed class BuildRun
    {
        private const string DefaultSigintThenExec =
            "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";

        private readonly System.Text.StringBuilder _transcript = new();
        private readonly string _config;

        private BuildRun(TempDirectory scratch, string config, string name, CancellationToken cancellationToken)
        {
            _config = config;
            var temp = scratch.Combine(name, "tmp");
            Directory.CreateDirectory(temp);
            var spec = new ProcessSpec("python3", ["-c", DefaultSigintThenExec, HarnessCli.Binary, "run", "--config", config, "--arch", "x86_64", "--no-baseline"])
            {
                Environment = new Dictionary<string, string?> { ["TMPDIR"] = temp },
                WorkingDirectory = scratch.Path,
                Timeout = TimeSpan.FromMinutes(3),
                OnOutputLine = line => { lock (_transcript) _transcript.AppendLine(line); },
            };
            Process = new ProcessRunner().RunAsync(spec, cancellationToken);
        }

        public Task<ProcessResult> Process { get; }

        public string Transcript { get { lock (_transcript) return _transcript.ToString(); } }

        public static BuildRun Start(TempDirectory scratch, string config, string name, CancellationToken cancellationToken) =>
            new(scratch, config, name, cancellationToken);

        /// <summary>Until the fake kernel make sleeps (and the loader's libbpf make, started before it, too).</summary>
        public async Task WaitForMakeAsync(CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (ProcessTable.Containing("sleep " + KernelMakeSleep).Count == 0 || ProcessTable.Containing("sleep " + LoaderMakeSleep).Count == 0)
            {
                if (Process.IsCompleted) Assert.Fail($"the run ended before make ran: {(await Process).Transcript()}");
                if (clock.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail($"make did not run within 2 minutes:\n{Transcript}");
                await Task.Delay(100, cancellationToken);
            }
        }

        public void Signal(string signal)
        {
            var harness = ProcessTable.Find("--config " + _config).Where(p => p.CommandLine.Contains(" run ", StringComparison.Ordinal)).ToArray();
            Assert.That(harness, Has.Length.EqualTo(1), "the harness process, found by its --config");
            new ProcessRunner().RunAsync(ProcessSpec.Of("kill", signal, harness[0].Pid.ToString()), CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
