using Harness.Config;

namespace Harness.Cli;

/// <summary>
/// The arguments that reproduce a command from the resolved config (absolute paths, the arches used),
/// so the line still means the same run when pasted from another directory.
/// </summary>
public static class ReproduceArgs
{
    public static IReadOnlyList<string> For(IEnumerable<string> command, RunConfig run, bool withSeries = true, bool withArches = true)
    {
        var args = new List<string>(command) { "--config", run.SourceFile };
        if (run.Tree is TreeSource.GitCheckout checkout) args.AddRange(["--tree", checkout.Path, "--base", checkout.Ref]);
        if (withSeries) args.AddRange(["--series", run.SeriesDirectory]);
        if (withArches) args.AddRange(["--arch", string.Join(",", run.Arches.Select(a => a.Name))]);
        return args;
    }
}
