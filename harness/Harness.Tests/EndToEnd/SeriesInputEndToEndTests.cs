using System.Security.Cryptography;
using System.Text.Json;
using Harness.Bisect;
using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Patches.Inputs;
using Harness.Tests.Support;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// The reviewer's inputs on real kernels (x86_64, cached when warm): the series as an mbox runs like the series
/// directory, and `run --per-patch` is the bisect, naming the seed for every flipped verdict.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class SeriesInputEndToEndTests
{
    private const int Hour = 3_600_000;
    private const string TestKfuncs = "0003-bpf-add-test-kfuncs-for-__async-and-__s_async-callbacks.patch";
    private const string Seed = "0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";

    [Test, CancelAfter(Hour)]
    public async Task A_run_fed_the_series_as_an_mbox_gives_the_same_verdicts_as_the_directory_run(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var mbox = output.Write("input/async-kfunc-suffixes.mbox", SeriesFixtures.ShippedSeriesAsMbox());
        var hash = SHA256.HashData(File.ReadAllBytes(mbox));

        var fromDirectory = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--output", output.Combine("directory")]);
        var fromMbox = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--series", mbox, "--output", output.Combine("mbox")]);

        var (directoryRun, _) = Read(output.Combine("directory"));
        var (mboxRun, summary) = Read(output.Combine("mbox"));
        var input = mboxRun.GetProperty("inputs").GetProperty("series_input");
        Assert.Multiple(() =>
        {
            Assert.That(fromDirectory, Is.EqualTo(ExitCodes.Success));
            Assert.That(fromMbox, Is.EqualTo(ExitCodes.Success), summary);
            Assert.That(Verdicts(mboxRun), Is.EqualTo(Verdicts(directoryRun)));
            Assert.That(Verdicts(mboxRun), Has.Count.GreaterThanOrEqualTo(25));
            Assert.That(input.GetProperty("kind").GetString(), Is.EqualTo("mbox"));
            Assert.That(input.GetProperty("source").GetString(), Is.EqualTo(mbox));
            Assert.That(input.GetProperty("patches").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("applied").GetString())),
                Is.EqualTo(Directory.GetFiles(SeriesFixtures.ShippedSeriesDirectory, "000*.patch").Order().Select(f => (Path.GetFileName(f), "clean"))));
            Assert.That(summary, Does.Contain($"mbox `{mbox}` split into 3 patch(es)"));
            Assert.That(summary, Does.Contain($"| 2 | `{Seed}` | [PATCH 2/3] bpf: implement __async and __s_async kfunc suffixes | clean |"));
            Assert.That(SHA256.HashData(File.ReadAllBytes(mbox)), Is.EqualTo(hash), "the user's mbox is only read");
        });
    }

    [Test, CancelAfter(Hour)]
    public async Task Run_per_patch_is_the_bisect_and_names_the_seed_for_every_flipped_verdict(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();

        var exitCode = await Program.Main(["run", "--per-patch", "--arch", "x86_64", "--base-with", TestKfuncs, "--output", output.Path]);

        var run = Directory.GetDirectories(output.Path).Single();
        var markdown = File.ReadAllText(Path.Combine(run, BisectReport.MarkdownFile));
        var arch = BisectReport.Read(File.ReadAllText(Path.Combine(run, BisectReport.JsonFile))).Arches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), markdown);
            Assert.That(run, Does.EndWith("-bisect"));
            Assert.That(arch.Arch, Is.EqualTo("x86_64"));
            Assert.That(arch.Prefixes.Select(p => p.Step), Is.EqualTo(new[] { "0001-bpf-add-kfunc_meta-parameter-to-push_callback_call.patch", Seed }));
            Assert.That(arch.Changes.Where(c => c.Kind == ChangeKind.VerdictFlip), Is.Not.Empty, markdown);
            Assert.That(arch.Changes.Select(c => c.ChangedAfter).Distinct(), Is.EqualTo(new[] { Seed }), markdown);
        });
    }

    /// <summary>object:program → "status verdict" of every program that was not skipped.</summary>
    private static Dictionary<string, string> Verdicts(JsonElement results) =>
        results.GetProperty("runs").EnumerateArray().Single().GetProperty("programs").EnumerateArray()
            .Where(p => p.GetProperty("outcome").GetProperty("status").GetString() != "skip")
            .ToDictionary(
                p => $"{p.GetProperty("expectation").GetProperty("object").GetString()}:{p.GetProperty("expectation").GetProperty("program").GetString()}",
                p => $"{p.GetProperty("outcome").GetProperty("status").GetString()} {p.GetProperty("load").GetProperty("verdict").GetString()}");

    private static (JsonElement Results, string Summary) Read(string output)
    {
        var run = Path.Combine(output, "latest");
        return (JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))).RootElement, File.ReadAllText(Path.Combine(run, "summary.md")));
    }
}

