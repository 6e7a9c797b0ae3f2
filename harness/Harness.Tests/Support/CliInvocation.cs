using Harness.Cli;

namespace Harness.Tests.Support;

/// <summary>The CLI run in-process with its stderr captured (callers are NonParallelizable: Console.Error is global).</summary>
public static class CliInvocation
{
    public static async Task<(int Exit, string Stderr)> RunAsync(string[] args, CancellationToken ct)
    {
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            return (await CommandCatalog.BuildRoot().Parse(args).InvokeAsync(cancellationToken: ct), stderr.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
