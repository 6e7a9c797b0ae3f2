using Harness.Config;
using Harness.Errors;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// `harness run --target FILE`: board files given on the command line. Each takes the place of the run config's
/// board (or QEMU guest) for its arch and kernel, and must be one the run tests: a board given by hand that
/// the run would not use is an error, never silently ignored.
/// </summary>
public static class BoardOptions
{
    public static RunConfig Apply(RunConfig run, IReadOnlyList<string> targetFiles, ArchRegistry arches)
    {
        if (targetFiles.Count == 0) return run;
        var given = targetFiles.Select(file =>
        {
            var path = Path.GetFullPath(file);
            if (!File.Exists(path))
                throw new BadInputException($"--target {file}: file not found. Give a board YAML (see configs/boards/example-board.yaml).");
            return BoardConfigReader.ReadFile(path, arches);
        }).ToArray();
        BoardConfigReader.EnsureOnePerKernel(given);
        foreach (var board in given)
        {
            if (run.Arches.All(a => a.Name != board.Arch.Name))
                throw new BadInputException(
                    $"--target {board.SourceFile}: board '{board.Name}' is {board.Arch.Name}, but this run tests {string.Join(", ", run.Arches.Select(a => a.Name))}. " +
                    $"Add --arch {board.Arch.Name} or leave the board out.");
            if (board.Kernel == KernelRole.Baseline && !run.BaselineEnabled)
                throw new BadInputException(
                    $"--target {board.SourceFile}: board '{board.Name}' runs the baseline kernel, but this run tests none (--no-baseline or baseline.enabled: false). " +
                    "Drop --no-baseline, or say 'kernel: patched' if it runs the patched kernel.");
        }
        var kept = run.Boards.Where(b => !given.Any(g => g.Arch.Name == b.Arch.Name && g.Kernel == b.Kernel));
        return run with { Boards = [.. kept, .. given] };
    }
}
