using System.Text.Json;
using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// The product: `harness run` on the embedded default (Debian's 6.12, the series, both arches), through the
/// real CLI entry point, with real kernels, QEMU and SSH. Kernels come from the cache (~/.cache/harness)
/// when it is warm. Each test writes its reports into a temp directory and reads them back.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class RunEndToEndTests
{
    private const int Hour = 3_600_000;

    [Test, CancelAfter(2 * Hour)]
    public async Task The_default_run_matches_every_expectation_on_both_arches_and_shows_what_the_seed_changes(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();

        var exitCode = await Program.Main(["run", "--output", output.Path]);

        var results = ReadResults(output.Path);
        var runs = results.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), File.ReadAllText(Path.Combine(output.Path, "latest", "summary.md")));
            Assert.That(runs.Select(r => $"{r.GetProperty("arch").GetString()}/{r.GetProperty("kernel").GetString()}"),
                Is.EquivalentTo(new[] { "x86_64/patched", "x86_64/baseline", "arm64/patched", "arm64/baseline" }));
            foreach (var run in runs)
            {
                Assert.That(run.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null), run.GetProperty("arch").GetString());
                Assert.That(run.GetProperty("programs").GetArrayLength(), Is.GreaterThanOrEqualTo(25));
                Assert.That(run.GetProperty("kernel_release").GetString(), Does.StartWith("6.12"));
            }
            // The seed must change verdicts: that is the point of the baseline.
            Assert.That(results.GetProperty("baseline_changes").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(File.Exists(Path.Combine(output.Path, "latest", "junit.xml")));
        });
    }

    [Test, CancelAfter(Hour)]
    public async Task A_mutated_expectation_makes_the_run_exit_1_and_name_the_program(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        using var selftests = new TempDirectory();
        var project = Harness.Config.ProjectLayout.Locate();
        CopyDirectory(project.SelftestsDirectory, selftests.Path);
        var (file, program) = MutateFirstSuccess(selftests.Path);

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--selftests", selftests.Path,
            "--expectations", Path.Combine(selftests.Path, "expectations.yaml"), "--output", output.Path]);

        var summary = File.ReadAllText(Path.Combine(output.Path, "latest", "summary.md"));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Mismatch), $"mutated {program} in {file}");
            Assert.That(summary, Does.Contain(program));
        });
    }

    [Test, CancelAfter(Hour)]
    public async Task Runs_the_trees_own_verifier_selftests_from_a_directory_of_sources(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        using var selftests = new TempDirectory();
        var progs = Path.Combine(BuiltKernels.TreeDirectory(), "tools", "testing", "selftests", "bpf", "progs");
        foreach (var name in new[] { "verifier_and.c", "verifier_bounds_mix_sign_unsign.c" })
            File.Copy(Path.Combine(progs, name), selftests.Combine(name));

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--selftests", selftests.Path, "--output", output.Path]);

        var programs = ReadResults(output.Path).GetProperty("runs")[0].GetProperty("programs");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success), File.ReadAllText(Path.Combine(output.Path, "latest", "summary.md")));
            Assert.That(programs.GetArrayLength(), Is.GreaterThanOrEqualTo(10));
        });
    }

    /// <summary>Turns the first `__success` program into `__failure`: the patched kernel still accepts it.</summary>
    private static (string File, string Program) MutateFirstSuccess(string directory)
    {
        foreach (var file in Directory.GetFiles(directory, "*.c").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file).ToList();
            var at = lines.FindIndex(l => l.Trim() == "__success");
            if (at < 0) continue;
            var signature = lines.Skip(at).First(l => l.StartsWith("int ", StringComparison.Ordinal));
            var program = signature["int ".Length..signature.IndexOf('(')].Trim();
            lines[at] = "__failure";
            File.WriteAllLines(file, lines);
            return (file, program);
        }
        throw new InvalidOperationException($"no line '__success' alone in {directory}/*.c to mutate");
    }

    private static JsonElement ReadResults(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "latest", "results.json"))).RootElement;

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
