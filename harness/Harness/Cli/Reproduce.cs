using Harness.Processes;

namespace Harness.Cli;

/// <summary>The command line that reproduces a run, from the checkout's root.</summary>
public static class Reproduce
{
    public static string Line(IEnumerable<string> args) =>
        string.Join(' ', new[] { "bin/harness" }.Concat(args.Select(ShellQuoting.Quote)));
}
