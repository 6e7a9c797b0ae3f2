using NUnit.Framework;
using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>Usage errors are bad input (exit 3) with the usage line, never 1, which means a verdict mismatch.</summary>
[NonParallelizable]
public class UsageErrorTests
{
    [TestCase(new string[0], "harness: Required command was not provided.", "Usage: harness [options]; see 'harness --help'.")]
    [TestCase(new[] { "run", "--bogus" }, "harness: Unrecognized command or argument '--bogus'.", "Usage: harness run [options]; see 'harness run --help'.")]
    [TestCase(new[] { "frobnicate" }, "harness: Unrecognized command or argument 'frobnicate'.", "Usage: harness [options]; see 'harness --help'.")]
    [TestCase(new[] { "build", "--variant", "other" }, "harness: Argument 'other' not recognized. Must be one of:", "Usage: harness build [options]; see 'harness build --help'.")]
    [CancelAfter(30_000)]
    public async Task A_usage_error_exits_3_with_the_usage_line(string[] args, string error, string usage)
    {
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        int exit;
        try
        {
            exit = await Program.Main(args);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr.ToString(), Does.Contain(error));
        Assert.That(stderr.ToString(), Does.Contain(usage));
    }

    [Test]
    public void The_help_and_the_readme_list_every_exit_code_once()
    {
        var codes = typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToArray();
        var readme = File.ReadAllText(Path.Combine(Checkout.Layout.Root, "README.md"));

        Assert.That(codes.Distinct().Count(), Is.EqualTo(codes.Length), "no two meanings share a code");
        foreach (var code in codes)
        {
            Assert.That(CommandCatalog.ExitCodeHelp, Does.Contain($" {code} "), $"--help names exit code {code}");
            Assert.That(readme, Does.Contain($"\n| {code} |"), $"README's exit code table has {code}");
        }
    }
}
