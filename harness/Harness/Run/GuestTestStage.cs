using System.Diagnostics;
using Harness.Build;
using Harness.Config;
using Harness.Errors;
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
/// session (one command, one JSON line per program, read as it comes), and judges every program.
/// Guest faults land on the programs they belong to (<see cref="GuestLoads"/>, <see cref="FaultJudge"/>): the
/// program in flight when the guest died, hung or the loader crashed is an Error naming the fault, the guest is
/// rebooted and the programs after it still run; a kernel splat logged during a load is that program's Error
/// (or a note when expectations.yaml knows it). Programs not as expected are loaded again (<see cref="FlakeRetry"/>).
/// A guest that never boots makes every program an Error with the reason: never a pass, never a hang.
/// </summary>
public static partial class GuestTestStage
{
    /// <summary>How long QEMU may take to exit after the SSH connection broke, for the error to say the guest died.</summary>
    private static readonly TimeSpan DeadGuestGrace = TimeSpan.FromSeconds(2);

    /// <summary>The harness waits this long past the loader's own per-program limit before it calls the guest hung.</summary>
    private static readonly TimeSpan HangGrace = TimeSpan.FromSeconds(5);

    public static async Task<ArchRun> RunAsync(StageContext context, GuestTestRequest request, CancellationToken cancellationToken)
    {
        var arch = request.Arch;
        var stages = request.EarlierStages.ToList();
        var clock = Stopwatch.StartNew();
        var vms = new List<QemuVm>();
        var commandTimeout = TimeSpan.FromSeconds(context.Config.Timeouts.Command);
        var step = "boot";

        async Task<ILoaderGuest> BootAsync(int boot, CancellationToken ct)
        {
            var bootClock = Stopwatch.StartNew();
            var vm = await new GuestLauncher(context).RunAsync(arch, request.Kernel.Image, [request.Tools.LoaderImageFile], ct);
            vms.Add(vm);
            if (boot == 0) stages.Add(new StageTiming("boot", bootClock.Elapsed.TotalSeconds));
            bootClock.Restart();
            await vm.Session.RunAsync($"mkdir -p {LoaderPrograms.GuestObjectDirectory}", commandTimeout, ct);
            foreach (var obj in request.Objects.Objects)
                await vm.Session.UploadAsync(obj, $"{LoaderPrograms.GuestObjectDirectory}/{Path.GetFileName(obj)}", ct);
            if (boot == 0) stages.Add(new StageTiming("upload", bootClock.Elapsed.TotalSeconds));
            return new QemuLoaderGuest(vm);
        }

        var settings = new GuestLoadSettings(
            $"{GuestTools.LoaderGuestPath} --timeout {context.Config.Timeouts.Program}",
            TimeSpan.FromSeconds(context.Config.Timeouts.Program) + HangGrace,
            context.Config.Reboots,
            context.Config.HoldBefore);
        await using var loads = new GuestLoads(settings, BootAsync, message => context.Progress.Stage(arch.Name, "fault", $"{Name(request.Role)}: {message}"),
            held: message => context.Progress.Stage(arch.Name, "load", $"{Name(request.Role)}: {message}"));
        try
        {
            var guest = await loads.GuestAsync(cancellationToken);
            var release = (await guest.Session.RunAsync("uname -r", commandTimeout, cancellationToken)).Stdout.Trim();
            var first = vms[0];

            clock.Restart();
            step = "load";
            context.Progress.Stage(arch.Name, "load", $"{request.Expectations.Count} programs on the {Name(request.Role)} kernel");
            var programs = LoaderPrograms.For(request.Expectations, request.Overlay, arch.Name, request.Role).Select(LoaderProgram.FromSpec).ToArray();
            var batch = await loads.LoadAsync(programs, cancellationToken);
            stages.Add(new StageTiming("load", clock.Elapsed.TotalSeconds));
            await File.WriteAllTextAsync(context.LogFile($"{arch.Name}-{Name(request.Role)}-loader"), batch.Output, cancellationToken);

            var (judged, notes) = FaultJudge.JudgeBatch(arch.Name, request.Role, request.Expectations, request.Overlay, batch);
            clock.Restart();
            var retries = new ProgramRetries(loads, request.Expectations, request.Overlay, arch.Name, request.Role, context.Config.Retries,
                message => context.Progress.Stage(arch.Name, "retry", $"{Name(request.Role)}: {message}"));
            judged = await retries.RunAsync(judged, batch.Faults.Keys.ToHashSet(), cancellationToken);
            if (judged.Any(p => p.Outcome.Attempts.Count > 0)) stages.Add(new StageTiming("retry", clock.Elapsed.TotalSeconds));

            // A guest lost to a fault showed its splats in the fault's evidence, on the program in flight.
            var faulted = loads.FaultedGuests.OfType<QemuLoaderGuest>().Select(g => g.Vm).ToHashSet();
            var (splat, splatNotes) = await SplatsAsync(vms.Where(v => !faulted.Contains(v)).ToArray(), request, loads.AllResults, loads.AllFaults, cancellationToken);
            var passed = judged.Count(p => p.Outcome.AsExpected);
            context.Progress.Stage(arch.Name, "load", $"{Name(request.Role)}: {passed}/{judged.Count} as expected in {stages.Last(s => s.Stage == "load").Seconds:F1} s"
                + (loads.Reboots > 0 ? $", {loads.Reboots} reboot(s) after faults" : ""));
            return new ArchRun
            {
                Arch = arch.Name,
                Kernel = request.Role,
                KernelRelease = release,
                Accelerator = $"{first.Accelerator.Accelerator} ({first.Accelerator.Reason})",
                Stages = stages,
                BootPhases = Phases(first.Phases),
                Error = splat,
                Notes = notes.Concat(splatNotes).Concat(loads.Events).Distinct().ToArray(),
                Programs = judged,
            };
        }
        catch (HarnessException e) when (e is not BadInputException)
        {
            var vm = vms.LastOrDefault();
            var died = vm is not null && await vm.ExitsWithinAsync(DeadGuestGrace);
            // Ctrl-C broke the SSH session or killed QEMU (a terminal signals the whole group): an abort, not this kernel's error.
            if (Interrupts.Arrived(cancellationToken)) throw new OperationCanceledException("interrupted", e, cancellationToken);
            var reason = vm is null ? $"boot failed: {e.Message}"
                : (died ? $"the {arch.Name} guest died during {step} ({new QemuLoaderGuest(vm).HowItDied}): " : "")
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

    public static string Name(KernelRole role) => role.ToString().ToLowerInvariant();

    private static string FirstLine(string text) => text.Split('\n')[0];
}
