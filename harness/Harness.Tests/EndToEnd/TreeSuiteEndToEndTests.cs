using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harness.Cli;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// `run --tree-suite verifier` on the embedded 6.12 tree and the warm-cache x86_64 kernel: every verifier_*.c of the tree
/// is compiled and its programs are loaded in the series' guest, judged by their tags on a real kernel: no suite row fails or
/// errs, and the verdicts agree with the tree's annotations on at least 99% of the rows that got one (the rest are named,
/// with their reasons, in selftests/tree-verifier.expectations.yaml).
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class TreeSuiteEndToEndTests
{
    [Test, CancelAfter(3_600_000)]
    public async Task The_verifier_suite_runs_beside_the_series_with_a_row_for_every_file_and_counts_that_add_up(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var progs = Path.Combine(BuiltKernels.TreeDirectory(), "tools", "testing", "selftests", "bpf", "progs");
        var files = Directory.GetFiles(progs, "verifier_*.c").Select(f => Path.GetFileNameWithoutExtension(f) + ".bpf.o").ToArray();

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--tree-suite", "verifier", "--output", output.Path]);

        var latest = Path.Combine(output.Path, "latest");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(latest, "results.json")));
        var run = json.RootElement.GetProperty("runs").EnumerateArray().Single();
        var rows = run.GetProperty("programs").EnumerateArray().Select(p => (
            Suite: p.GetProperty("expectation").GetProperty("suite").GetString()!,
            Object: p.GetProperty("expectation").GetProperty("object").GetString()!,
            Program: p.GetProperty("expectation").GetProperty("program").GetString()!,
            Status: p.GetProperty("outcome").GetProperty("status").GetString()!,
            Reason: p.GetProperty("outcome").GetProperty("reason").GetString()!,
            Loaded: p.TryGetProperty("load", out var load) && load.ValueKind == JsonValueKind.Object)).ToArray();
        var suite = rows.Where(r => r.Suite == "verifier").ToArray();
        var fileErrors = suite.Where(r => r.Program == "(compile)").ToArray();
        var programs = suite.Except(fileErrors).ToArray();
        TestContext.Out.WriteLine($"exit {exitCode}; {files.Length} files, {fileErrors.Length} did not compile; " +
                                  $"{programs.Length} suite programs, {programs.Count(p => p.Loaded)} loaded; {rows.Length} rows");
        var junit = XDocument.Load(Path.Combine(latest, "junit.xml")).Root!;

        Assert.Multiple(() =>
        {
            Assert.That(run.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(rows.Any(r => r.Suite == "series"), "the series' own programs ran in the same guest");
            foreach (var file in files)
                Assert.That(programs.Any(p => p.Object == file) || fileErrors.Any(e => e.Object == file), $"{file} has no row");
            foreach (var error in fileErrors)
            {
                Assert.That(error.Status, Is.EqualTo("error"));
                Assert.That(error.Reason, Does.Match(@"\.[ch]:\d+:\d+: error: "), error.Object);
            }
            Assert.That(fileErrors, Is.Empty, "every verifier_*.c of the tree compiles with the suite's include path");
            Assert.That(programs.Where(p => p.Status is "fail" or "error").Select(p => $"{p.Object}:{p.Program}: {p.Reason}"), Is.Empty);
            // Agreement as the issue counts it: of the rows that got a verdict, those judged as their tags say.
            var judged = programs.Where(p => p.Status is "pass" or "known-deviation" or "fail").ToArray();
            Assert.That(judged.Count(p => p.Status == "pass"), Is.GreaterThanOrEqualTo(judged.Length * 0.99), "agreement below 99%");
            // The rows that need what test_loader does beyond the tags: __btf_path, and the maps prog_tests/verifier.c fills.
            Assert.That(programs.Where(p => p.Object is "verifier_bitfield_write.bpf.o" or "verifier_value_ptr_arith.bpf.o").Select(p => p.Status),
                Has.All.EqualTo("pass"));
            Assert.That(programs.Length, Is.GreaterThan(1000));
            Assert.That(programs.Count(p => p.Loaded), Is.GreaterThan(programs.Length / 2), "most suite programs got a load result");
            // The counts add up: every row is counted once, in JUnit too; a file error makes the run an error (exit 2).
            Assert.That((int)junit.Attribute("tests")!, Is.EqualTo(rows.Length));
            Assert.That((int)junit.Attribute("errors")!, Is.GreaterThanOrEqualTo(fileErrors.Length));
            if (fileErrors.Length > 0) Assert.That(exitCode, Is.EqualTo(Harness.Errors.ExitCodes.InfrastructureError));
            Assert.That(File.ReadAllText(Path.Combine(latest, "summary.md")), Does.Contain("of the tree's").Or.Contain("verifier"));
        });
    }
}
