using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Cli;

/// <summary>`run`'s series input and --per-patch options: what is refused before anything is applied, built or booted.</summary>
[NonParallelizable]
public class RunSeriesOptionsTests
{
    private static async Task<(int Exit, string Error)> RunAsync(string[] args, CancellationToken ct) => await CliInvocation.RunAsync(args, ct);

    [TestCase("", "the file is empty")]
    [TestCase("From 1234 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH 1/1] words\n\nThe diff got lost.\n",
        "no diff found (no '@@ -N,M +N,M @@' hunk header), so it is not a patch")]
    [CancelAfter(30_000)]
    public async Task A_series_file_without_a_patch_is_bad_input_naming_it(string text, string message, CancellationToken ct)
    {
        using var temp = new TempDirectory();
        var mbox = temp.Write("series.mbox", text);

        var (exit, error) = await RunAsync(["run", "--arch", "x86_64", "--no-baseline", "--series", mbox, "--output", temp.Combine("out")], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput), error);
        Assert.That(error, Does.Contain($"harness: bad input: {mbox}: {message}"));
    }

    [TestCase("--no-baseline", "--no-baseline does not go with --per-patch")]
    [TestCase("--selftests", "--selftests does not go with --per-patch")]
    [CancelAfter(30_000)]
    public async Task Per_patch_refuses_the_options_a_bisect_has_no_use_for(string option, string message, CancellationToken ct)
    {
        using var temp = new TempDirectory();
        string[] extra = option == "--selftests" ? [option, temp.Path] : [option];

        var (exit, error) = await RunAsync(["run", "--per-patch", .. extra, "--output", temp.Combine("out")], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput), error);
        Assert.That(error, Does.Contain(message));
    }

    [Test, CancelAfter(30_000)]
    public async Task Base_with_without_per_patch_is_bad_input(CancellationToken ct)
    {
        using var temp = new TempDirectory();

        var (exit, error) = await RunAsync(["run", "--base-with", "0003-x.patch", "--output", temp.Combine("out")], ct);

        Assert.That(exit, Is.EqualTo(ExitCodes.BadInput), error);
        Assert.That(error, Does.Contain("--base-with only means something with --per-patch"));
    }
}
