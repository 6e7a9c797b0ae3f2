using Harness.Verdicts;
using Harness.Vm;

namespace Harness.Run;

public static partial class GuestTestStage
{
    /// <summary>
    /// Oopses, BUGs, WARNINGs and KASAN reports on the consoles of every guest of this kernel that no program
    /// explains (its kmsg or a fault's evidence): one the overlay knows for this kernel (its text in the splat or the
    /// lines just before it) becomes a note; any other is an infrastructure error of the whole run.
    /// </summary>
    private static async Task<(string? Error, IReadOnlyList<string> Notes)> SplatsAsync(IReadOnlyList<QemuVm> vms, GuestTestRequest request,
        IReadOnlyList<LoadResult> loads, IReadOnlyList<ProgramFault> faults, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var unknown = new List<string>();
        QemuVm? last = null;
        foreach (var vm in vms)
        {
            var failures = vm.KernelFailures.Where(f => !FaultJudge.Attributed(f.Line, loads, faults)).ToArray();
            if (failures.Length == 0) continue;
            var console = File.Exists(vm.ConsoleLog) ? (await File.ReadAllLinesAsync(vm.ConsoleLog, cancellationToken)).ToList() : [];
            foreach (var failure in failures)
            {
                var at = console.FindIndex(l => l.Contains(failure.Line.Trim(), StringComparison.Ordinal));
                var window = at < 0 ? failure.Line : string.Join('\n', console.Skip(Math.Max(0, at - 6)).Take(Math.Min(at, 6) + 2));
                var known = request.Overlay.FindSplat(window, request.Arch.Name, request.Role);
                if (known is null) { unknown.Add(failure.Line.Trim()); last = vm; }
                else notes.Add($"known kernel splat \"{known.Match}\": {known.Reason} ({known.Location})");
            }
        }
        var error = unknown.Count == 0 ? null
            : "kernel splat during loading that no program explains: " + string.Join(" | ", unknown.Take(3))
              + "\nconsole tail:\n" + string.Join('\n', last!.ConsoleTail(30));
        return (error, notes.Distinct().ToArray());
    }
}
