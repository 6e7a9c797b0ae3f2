using Harness.Config;
using Harness.Patches.Import;
using Harness.Processes;
using NUnit.Framework;

namespace Harness.Tests.Patches.Import;

/// <summary>The seed against the real 6.12 tree from the cache, with the series' prerequisite (0001) applied.</summary>
[Category("EndToEnd")]
public class PatchImporterEndToEndTests
{
    [Test, CancelAfter(300_000)]
    public async Task Imports_the_seed_against_6_12_with_the_prerequisite_so_that_git_apply_accepts_it(CancellationToken ct)
    {
        // The pristine 6.12 tree as the harness provisions it (extracted once into the cache).
        var pristine = Support.BuiltKernels.TreeDirectory();
        var series = Path.Combine(ProjectLayout.Locate().Root, "kernel-patches", "async-kfunc-suffixes");
        var prerequisite = Directory.Exists(series) ? Directory.EnumerateFiles(series, "0001-*.patch").FirstOrDefault() : null;
        Assert.That(prerequisite, Is.Not.Null, "kernel-patches/async-kfunc-suffixes/0001-*.patch (the prerequisite) is missing");
        var clone = Path.Combine(Path.GetTempPath(), "harness-import-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        var runner = new ProcessRunner();
        Task<ProcessResult> Git(params string[] args) =>
            runner.RunAsync(ProcessSpec.Of("git", ["-c", "user.name=Harness Test", "-c", "user.email=harness@example.org", .. args]) with
            {
                WorkingDirectory = Directory.Exists(clone) ? clone : Path.GetTempPath(),
            }, ct);
        try
        {
            (await Git("clone", "-q", "--shared", pristine, clone)).EnsureSuccess();
            (await Git("am", prerequisite!)).EnsureSuccess();
            var seed = ImportFixtures.Read("bpf-async-kfunc-suffixes.rfc.txt");

            var result = PatchImporter.Import(seed, clone, "seed");

            var output = clone + ".patch";
            await File.WriteAllTextAsync(output, result.Patch, ct);
            var check = await Git("apply", "--check", output);
            Assert.That(check.ExitCode, Is.EqualTo(0), check.StandardError);
            Assert.That(result.Hunks.Select(h => h.DifferingContext.Count), Is.EqualTo(new[] { 0, 0, 2, 0, 0, 0, 0, 0, 1 }));
            TestContext.Out.WriteLine(result.Report());
        }
        finally
        {
            if (Directory.Exists(clone)) Directory.Delete(clone, recursive: true);
            File.Delete(clone + ".patch");
        }
    }
}
