using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Cli;

public class BenchCommandTests
{
    [TestCase("0"), TestCase("-2"), CancelAfter(30_000)]
    public async Task Refuses_fewer_than_one_boot_before_measuring_anything(string boots, CancellationToken ct)
    {
        var results = Path.Combine(Checkout.Layout.Root, "results");
        var before = BenchDirectories(results);

        var exit = await CommandCatalog.BuildRoot().Parse(["bench", "--boots", boots]).InvokeAsync(cancellationToken: ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(BenchDirectories(results), Is.EqualTo(before));
    }

    private static string[] BenchDirectories(string results) =>
        Directory.Exists(results) ? Directory.GetDirectories(results, "bench-*") : [];
}
