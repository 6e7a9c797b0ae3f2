using Harness.Verdicts;
using Harness.Vm;

namespace Harness.Boards;

/// <summary>
/// Kernel failures in the lines a board's kernel logged while the loader ran (`dmesg`, read before and after:
/// a board has no console the harness watches). The same markers as a guest's console (<see cref="ConsoleWatcher"/>);
/// a splat a program explains (logged while it loaded) is that program's, not the run's; a splat the overlay knows
/// for this arch and kernel (its text in the splat or the lines just before it) becomes a
/// note, any other one is this kernel's infrastructure error.
/// </summary>
public static class BoardKernelLog
{
    /// <summary>
    /// The lines of <paramref name="after"/> logged since <paramref name="before"/> was read: those after the last line
    /// <paramref name="before"/> ended with (printk timestamps make it unique). If the ring buffer wrapped past it, all of them.
    /// </summary>
    public static IReadOnlyList<string> Since(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var last = before.LastOrDefault(l => l.Length > 0);
        if (last is null) return after;
        for (var i = after.Count - 1; i >= 0; i--)
            if (after[i] == last) return after.Skip(i + 1).ToArray();
        return after;
    }

    /// <summary>
    /// The splats in <paramref name="lines"/> that <paramref name="explained"/> does not put on a program (the loader's
    /// kmsg of a program, or a fault's evidence): known ones are notes, any other one is the error.
    /// </summary>
    public static (string? Error, IReadOnlyList<string> Notes) Splats(IReadOnlyList<string> lines, ExpectationOverlay overlay,
        string arch, KernelRole kernel, string boardName, Func<string, bool>? explained = null)
    {
        var watcher = new ConsoleWatcher();
        var notes = new List<string>();
        var unknown = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (watcher.Feed(lines[i]) is not { Signal: ConsoleSignal.KernelFailure } failure) continue;
            if (explained?.Invoke(failure.Line) == true) continue;
            var window = string.Join('\n', lines.Skip(Math.Max(0, i - 6)).Take(Math.Min(i, 6) + 2));
            var known = overlay.FindSplat(window, arch, kernel);
            if (known is null) unknown.Add(failure.Line.Trim());
            else notes.Add($"known kernel splat \"{known.Match}\": {known.Reason} ({known.Location})");
        }
        var error = unknown.Count == 0 ? null
            : $"kernel splat on {boardName} during loading that no program explains: " + string.Join(" | ", unknown.Take(3))
              + "\nkernel log tail:\n" + string.Join('\n', lines.TakeLast(30));
        return (error, notes.Distinct().ToArray());
    }
}
