using System.Diagnostics;
using Harness.Build;
using Harness.Config;
using Harness.Errors;
using Harness.Images;
using Harness.Pipeline;
using Harness.Reports;
using Harness.Selftests;
using Harness.Verdicts;
using Harness.Vm;

namespace Harness.Run;

/// <summary>What one kernel needs to be tested: the arch, which kernel it is, the kernel, the loader and the objects.</summary>
public sealed record GuestTestRequest(
    ArchConfig Arch, KernelRole Role, KernelArtifacts Kernel, GuestTools Tools, CompiledSelftests Objects,
    IReadOnlyList<ProgramExpectation> Expectations, ExpectationOverlay Overlay, IReadOnlyList<StageTiming> EarlierStages);

/// <summary>
/// Boots one kernel, uploads the selftest objects, runs the in-guest loader over all of them in one SSH
/// session (one command, one JSON line per program), checks the console for splats, and judges every program.
/// Infrastructure failures become an <see cref="ArchRun"/> whose programs are all Errors with the reason:
/// a broken boot never turns into a pass, and never into a hang (every step has a wall-clock limit).
/// </summary>
public static class GuestTestStage
{
    /// <summary>How long QEMU may take to exit after the SSH connection broke, for the error to say the guest died.</summary>
    private static readonly TimeSpan DeadGuestGrace = TimeSpan.FromSeconds(2);

    public static async Task<ArchRun> RunAsync(StageContext context, GuestTestRequest request, CancellationToken cancellationToken)
    {
        var arch = request.Arch;
        var stages = request.EarlierStages.ToList();
        var clock = Stopwatch.StartNew();
        QemuVm? vm = null;
        var step = "boot";
        try
        {
            var loaderFile = request.Tools.LoaderImageFile;
            vm = await new GuestLauncher(context).RunAsync(arch, request.Kernel.Image, [loaderFile], cancellationToken);
            stages.Add(new StageTiming("boot", clock.Elapsed.TotalSeconds));

            var session = vm.Session;
            var commandTimeout = TimeSpan.FromSeconds(context.Config.Timeouts.Command);
            var release = (await session.RunAsync("uname -r", commandTimeout, cancellationToken)).Stdout.Trim();

            clock.Restart();
            step = "upload";
            await session.RunAsync($"mkdir -p {LoaderPrograms.GuestObjectDirectory}", commandTimeout, cancellationToken);
            foreach (var obj in request.Objects.Objects)
                await session.UploadAsync(obj, $"{LoaderPrograms.GuestObjectDirectory}/{Path.GetFileName(obj)}", cancellationToken);
            stages.Add(new StageTiming("upload", clock.Elapsed.TotalSeconds));

            clock.Restart();
            step = "load";
            context.Progress.Stage(arch.Name, "load", $"{request.Expectations.Count} programs on the {Name(request.Role)} kernel");
            var programs = LoaderArguments(request);
            var loaderTimeout = TimeSpan.FromSeconds(Math.Max(context.Config.Timeouts.Command,
                context.Config.Timeouts.Program * Math.Max(1, request.Expectations.Count) / 4));
            var loaded = await session.RunAsync($"{GuestTools.LoaderGuestPath} {programs}", loaderTimeout, cancellationToken);
            stages.Add(new StageTiming("load", clock.Elapsed.TotalSeconds));
            await File.WriteAllTextAsync(context.LogFile($"{arch.Name}-{Name(request.Role)}-loader"), loaded.Stdout + loaded.Stderr, cancellationToken);

            var output = LoaderOutputParser.Parse(loaded.Stdout);
            var (splat, notes) = await SplatsAsync(vm, request, cancellationToken);
            string? loaderError = loaded.ExitCode == 0 ? null
                : $"the in-guest loader exited with {loaded.ExitCode}: {Tail(loaded.Stderr)}";
            var judged = RunJudge.Judge(arch.Name, request.Role, request.Expectations, output, request.Overlay, loaderError);
            var passed = judged.Count(p => p.Outcome.AsExpected);
            context.Progress.Stage(arch.Name, "load", $"{Name(request.Role)}: {passed}/{judged.Count} as expected in {clock.Elapsed.TotalSeconds:F1} s");
            return new ArchRun
            {
                Arch = arch.Name,
                Kernel = request.Role,
                KernelRelease = release,
                Accelerator = $"{vm.Accelerator.Accelerator} ({vm.Accelerator.Reason})",
                Stages = stages,
                BootPhases = Phases(vm.Phases),
                Error = splat,
                Notes = notes,
                Programs = judged,
            };
        }
        catch (HarnessException e) when (e is not BadInputException)
        {
            var died = vm is not null && await vm.ExitsWithinAsync(DeadGuestGrace);
            // Ctrl-C broke the SSH session or killed QEMU (a terminal signals the whole group): an abort, not this kernel's error.
            if (Interrupts.Arrived(cancellationToken)) throw new OperationCanceledException("interrupted", e, cancellationToken);
            var reason = vm is null ? $"boot failed: {e.Message}"
                : (died ? $"the {arch.Name} guest died during {step} ({HowItDied(vm)}): " : "")
                  + $"{e.Message}\nconsole tail:\n{string.Join('\n', vm.ConsoleTail(20))}";
            context.Progress.Stage(arch.Name, "error", $"{Name(request.Role)}: {FirstLine(reason)}");
            return new ArchRun
            {
                Arch = arch.Name,
                Kernel = request.Role,
                Stages = stages,
                Error = reason,
                Programs = RunJudge.Judge(arch.Name, request.Role, request.Expectations, null, request.Overlay, FirstLine(reason)),
            };
        }
        finally
        {
            if (vm is not null) await vm.DisposeAsync();
        }
    }

    private static string LoaderArguments(GuestTestRequest request) =>
        string.Join(' ', LoaderPrograms.For(request.Expectations, request.Overlay, request.Arch.Name, request.Role)
            .Select(p => "--prog " + Processes.ShellQuoting.Quote(p)));

    /// <summary>
    /// Oopses, BUGs, WARNINGs and KASAN reports on the console after boot. One the overlay knows for this kernel
    /// (its text in the splat or the lines just before it) becomes a note; any other is an infrastructure error.
    /// </summary>
    private static async Task<(string? Error, IReadOnlyList<string> Notes)> SplatsAsync(QemuVm vm, GuestTestRequest request, CancellationToken cancellationToken)
    {
        if (vm.KernelFailures.Count == 0) return (null, []);
        var console = (await File.ReadAllLinesAsync(vm.ConsoleLog, cancellationToken)).ToList();
        var notes = new List<string>();
        var unknown = new List<string>();
        foreach (var failure in vm.KernelFailures)
        {
            var at = console.FindIndex(l => l.Contains(failure.Line.Trim(), StringComparison.Ordinal));
            var window = at < 0 ? failure.Line : string.Join('\n', console.Skip(Math.Max(0, at - 6)).Take(Math.Min(at, 6) + 2));
            var known = request.Overlay.FindSplat(window, request.Arch.Name, request.Role);
            if (known is null) unknown.Add(failure.Line.Trim());
            else notes.Add($"known kernel splat \"{known.Match}\": {known.Reason} ({known.Location})");
        }
        var error = unknown.Count == 0 ? null
            : "kernel splat during loading: " + string.Join(" | ", unknown.Take(3))
              + "\nconsole tail:\n" + string.Join('\n', vm.ConsoleTail(30));
        return (error, notes.Distinct().ToArray());
    }

    private static IReadOnlyList<BootPhase> Phases(BootPhases p)
    {
        var phases = new List<BootPhase>();
        void Add(string name, TimeSpan? t) { if (t is { } v) phases.Add(new BootPhase(name, v.TotalSeconds)); }
        Add("kernel", p.KernelStarted);
        Add("init", p.InitStarted);
        Add("guest-ready", p.GuestReady);
        Add("ssh-ready", p.SshReady);
        return phases;
    }

    /// <summary>The first panic, oops or BUG the console showed, else what is left: QEMU was killed or the kernel stopped silently.</summary>
    private static string HowItDied(QemuVm vm) =>
        vm.KernelFailures.Count > 0 ? $"QEMU exited after \"{vm.KernelFailures[0].Line.Trim()}\"" : "QEMU exited with no kernel message: killed, or the kernel stopped silently";

    public static string Name(KernelRole role) => role.ToString().ToLowerInvariant();

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Tail(string text) => string.Join(" / ", text.Trim().Split('\n').TakeLast(5));
}
