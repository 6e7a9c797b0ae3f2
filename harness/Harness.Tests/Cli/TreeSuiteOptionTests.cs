using Harness.Errors;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

/// <summary>`run --tree-suite NAME`: a name configs/suites/ does not have is refused before anything is applied, built or booted.</summary>
[NonParallelizable]
public class TreeSuiteOptionTests
{
    [Test, CancelAfter(30_000)]
    public async Task An_unknown_tree_suite_is_bad_input_saying_which_exist(CancellationToken ct)
    {
        using var temp = new TempDirectory();

        var (exit, error) = await CliInvocation.RunAsync(
            ["run", "--arch", "x86_64", "--no-baseline", "--tree-suite", "verifer", "--output", temp.Combine("out")], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput), error);
        Assert.That(error, Does.Contain("harness: bad input: --tree-suite verifer: Unknown tree suite 'verifer'. Available: verifier (configs/suites/)"));
    }
}
