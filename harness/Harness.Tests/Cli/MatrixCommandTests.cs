using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>`run --matrix`, `--shard` and `merge` refuse what cannot work before anything runs (exit 3, naming the fix).</summary>
[NonParallelizable]
public class MatrixCommandTests
{
    private static readonly string Matrix = Path.Combine(Checkout.Layout.ConfigsDirectory, "matrix.yaml");

    private static async Task<(int Exit, string Stderr)> RunAsync(string[] args, CancellationToken ct) => await CliInvocation.RunAsync(args, ct);

    [TestCase(new[] { "--series", "x" }, "with --series: a matrix sets these per cell. Put them in the matrix file")]
    [TestCase(new[] { "--shard", "3/2" }, "--shard 3/2: K must be between 1 and N")]
    [TestCase(new[] { "--shard", "half" }, "--shard half: give K/N")]
    [TestCase(new[] { "--cell", "nope" }, "has no such cell. Cells: debian-6.12_async-kfunc-suffixes_async-kfunc.")]
    [CancelAfter(30_000)]
    public async Task A_matrix_run_with_options_it_cannot_take_is_bad_input(string[] extra, string expected, CancellationToken ct)
    {
        var (exit, stderr) = await RunAsync(["run", "--matrix", Matrix, .. extra], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.Contain(expected));
    }

    [Test, CancelAfter(30_000)]
    public async Task A_shard_without_a_matrix_is_bad_input(CancellationToken ct)
    {
        var (exit, stderr) = await RunAsync(["run", "--shard", "1/2"], ct);

        Assert.That((exit, stderr), Is.EqualTo((ExitCodes.BadInput, "harness: bad input: --shard and --cell split a matrix: give --matrix FILE too.\n")));
    }

    [Test, CancelAfter(30_000)]
    public async Task Merging_one_of_two_shards_is_bad_input_naming_the_missing_one(CancellationToken ct)
    {
        using var output = new TempDirectory();

        var (exit, stderr) = await RunAsync(["merge", Checkout.Fixture("matrix", "shard-1"), "-o", output.Combine("merged"), "--no-history"], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.Contain("merge: shard(s) 2/2 missing. Give the output of every shard."));
    }
}
