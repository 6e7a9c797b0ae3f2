using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// Bad inputs given to the real CLI: each exits 3 with a message naming the file, the key or line, and the fix,
/// before anything is built or booted (no cache entry, no run directory, no temp directory, no process left).
/// Every case runs against a scratch config whose cache and output are empty temp directories.
/// </summary>
[Category("Faults")]
public class BadInputFaultTests
{
    private const int Minute = 60_000;

    [TestCase("yaml-unclosed-list", "run.yaml:11: | YAML syntax error | not closed")]
    [TestCase("yaml-bad-indent", "run.yaml: | YAML syntax error | Fix the YAML at that position")]
    [TestCase("unknown-key", "run.yaml:14:1: unknown key 'outptu' | Allowed here: tree, series")]
    [TestCase("wrong-type", "run.yaml: | 'timeouts.boot' must be a whole number (found 'soon')")]
    [TestCase("missing-config", "nothere.yaml: file not found | Check the path")]
    [TestCase("missing-kconfig-fragment", "run.yaml: | names fragment 'nothere.config', not found in | Create it or remove it")]
    [TestCase("missing-selftests-dir", "run.yaml: | 'selftests' names | not a directory")]
    [TestCase("missing-expectations-file", "run.yaml: | 'expectations' names | does not exist")]
    [TestCase("unknown-arch-option", "Unknown arch 'sparc'. Available: arm64, x86_64")]
    [TestCase("unknown-arch-in-config", "run.yaml:11: | 'arches[1]' | Unknown arch 'sparc'. Available: arm64, x86_64")]
    [TestCase("missing-tree", "--tree | no such directory | Give the path of a kernel git checkout")]
    [TestCase("tree-not-a-git-repo", "not a git repository | Give the path of a kernel git checkout")]
    [TestCase("tree-not-a-kernel", "has no Makefile | not a Linux kernel tree | Point --tree at a kernel checkout")]
    [TestCase("empty-series", "series: lists no patches | Add one patch file name per line")]
    [TestCase("series-of-comments", "series: lists no patches | Add one patch file name per line")]
    [TestCase("no-series-file", "series: series file not found | Create it")]
    [TestCase("baseline-names-a-patch-not-in-the-series", "run.yaml: 'baseline.without' names '0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch' | Name a listed patch, or run with --no-baseline")]
    [TestCase("series-names-a-missing-patch", "series:2: patch '0002-missing.patch' does not exist | Fix the name or add the file")]
    [TestCase("series-lists-a-file-that-is-not-a-patch", "series:2: '0002-prose.patch' is not a patch: it has no diff | List files made by git format-patch")]
    [CancelAfter(2 * Minute)]
    // The expected message fragments are separated by " | ".
    public async Task A_bad_input_exits_3_naming_the_place_and_the_fix_before_anything_is_built(string fault, string expected, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var arguments = await InjectAsync(scratch, fault, cancellationToken);

        // --baseline (an argument of this test, not of the CLI) keeps the config's baseline for the case that needs it.
        var baseline = arguments.Contains("--baseline") ? [] : new[] { "--no-baseline" };
        var result = await HarnessCli.RunAsync(["run", .. arguments.Where(a => a != "--baseline"), "--arch", "x86_64", .. baseline], cancellationToken, scratch.Temp);

        Assert.That(result.StandardError, Does.Contain("harness: bad input:"), result.Transcript());
        AssertRefused(result, expected, scratch, fault);
    }

    /// <summary>`validate` refuses, with the same message and exit 3, what `run` refuses before it starts; it writes nothing.</summary>
    [TestCase("unknown-key", "run.yaml:14:1: unknown key 'outptu'")]
    [TestCase("missing-kconfig-fragment", "names fragment 'nothere.config', not found in")]
    [TestCase("missing-selftests-dir", "'selftests' names | not a directory")]
    [TestCase("unknown-arch-in-config", "'arches[1]' | Unknown arch 'sparc'")]
    [TestCase("empty-series", "series: lists no patches")]
    [TestCase("baseline-names-a-patch-not-in-the-series", "'baseline.without' names '0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch' | Name a listed patch")]
    [TestCase("series-names-a-missing-patch", "series:2: patch '0002-missing.patch' does not exist")]
    [TestCase("series-lists-a-file-that-is-not-a-patch", "series:2: '0002-prose.patch' is not a patch")]
    [TestCase("tree-path-in-config-missing", "tree.path | does not exist | Point tree.path at a kernel git checkout")]
    [CancelAfter(2 * Minute)]
    public async Task Validate_refuses_what_run_refuses_naming_the_place_and_the_fix(string fault, string expected, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var arguments = (await InjectAsync(scratch, fault, cancellationToken)).Where(a => a != "--baseline").ToArray();

        var result = await HarnessCli.RunAsync(["validate", .. arguments], cancellationToken, scratch.Temp);

        AssertRefused(result, expected, scratch, fault);
    }

    /// <summary>Exit 3, every " | "-separated fragment of <paramref name="expected"/> on stderr, no stack trace, nothing left behind.</summary>
    private static void AssertRefused(Harness.Processes.ProcessResult result, string expected, ScratchConfig scratch, string fault)
    {
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        foreach (var fragment in expected.Split(" | ")) Assert.That(result.StandardError, Does.Contain(fragment), result.Transcript());
        Assert.That(result.StandardError, Does.Not.Contain("   at "), "a stack trace instead of a message");
        scratch.AssertNothingBuiltBootedOrWritten(fault);
    }

    [Test, CancelAfter(2 * Minute)]
    public async Task Validate_says_ok_in_plain_words_with_the_right_plurals(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var series = scratch.File("series");
        Directory.CreateDirectory(series);
        // The config's baseline leaves out the seed: the one patch has its name.
        const string seed = "0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch";
        scratch.WriteFile("series/series", seed + "\n");
        scratch.WriteFile("series/" + seed, "From: someone\nSubject: [PATCH] a change\n\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");

        var result = await HarnessCli.RunAsync(["validate", "--config", scratch.Write(), "--series", series], cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardOutput, Does.Contain("tree Debian package linux-source-6.12").And.Contain("series 1 patch,").And.Not.Contain("{ "), result.Transcript());
    }

    [Test, CancelAfter(2 * Minute)]
    public async Task Validate_refuses_the_same_unclosed_list_without_a_stack_trace(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var arguments = await InjectAsync(scratch, "yaml-unclosed-list", cancellationToken);

        var result = await HarnessCli.RunAsync(["validate", .. arguments], cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        Assert.That(result.StandardError, Does.Contain("YAML syntax error").And.Not.Contain("   at "));
    }

    /// <summary>Breaks one thing in <paramref name="scratch"/>; returns the command-line arguments that point at it.</summary>
    private static async Task<string[]> InjectAsync(ScratchConfig scratch, string fault, CancellationToken cancellationToken)
    {
        string Config(string from, string to)
        {
            Assert.That(scratch.Text, Does.Contain(from), "configs/run.yaml changed shape");
            scratch.Text = scratch.Text.Replace(from, to);
            return scratch.Write();
        }
        string Series(string text)
        {
            var series = scratch.File("series");
            Directory.CreateDirectory(series);
            if (text.Length > 0) scratch.WriteFile("series/series", text == "(empty)" ? "" : text);
            scratch.WriteFile("series/0001-present.patch", "From: someone\nSubject: [PATCH] a change\n\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");
            scratch.WriteFile("series/0002-prose.patch", "From: someone\nSubject: notes\n\nNo diff here.\n");
            return series;
        }
        switch (fault)
        {
            case "yaml-unclosed-list": return ["--config", Config("arches: [x86_64, arm64]", "arches: [x86_64, arm64")];
            case "yaml-bad-indent": return ["--config", Config("  boot: 120", "   boot: 120")];
            case "unknown-key": return ["--config", Config("\noutput:", "\noutptu:")];
            case "wrong-type": return ["--config", Config("boot: 120", "boot: soon")];
            case "missing-config": return ["--config", scratch.File("nothere.yaml")];
            case "missing-kconfig-fragment": return ["--config", Config("fragments: [base.config", "fragments: [nothere.config, base.config")];
            case "missing-selftests-dir": return ["--config", Config("selftests: " + Checkout.Layout.SelftestsDirectory, "selftests: " + scratch.File("none"))];
            case "missing-expectations-file": return ["--config", Config("expectations.yaml", "nothere.yaml")];
            case "unknown-arch-option": return ["--config", scratch.Write(), "--arch", "sparc"];
            case "unknown-arch-in-config": return ["--config", Config("arches: [x86_64, arm64]", "arches: [x86_64, sparc]"), "--arch", "x86_64,arm64"];
            case "missing-tree": return ["--config", scratch.Write(), "--tree", scratch.File("no-tree")];
            case "tree-not-a-git-repo":
                Directory.CreateDirectory(scratch.File("plain"));
                return ["--config", scratch.Write(), "--tree", scratch.File("plain")];
            case "tree-not-a-kernel":
                var repo = await GitRepo.InitAsync(scratch.File("not-kernel"), cancellationToken);
                repo.Write("README", "not a kernel\n");
                await repo.CommitAllAsync("not a kernel", cancellationToken);
                return ["--config", scratch.Write(), "--tree", repo.Path];
            case "empty-series": return ["--config", scratch.Write(), "--series", Series("(empty)")];
            case "series-of-comments": return ["--config", scratch.Write(), "--series", Series("# nothing yet\n\n")];
            case "no-series-file": return ["--config", scratch.Write(), "--series", Series("")];
            case "baseline-names-a-patch-not-in-the-series": return ["--config", scratch.Write(), "--series", Series("0001-present.patch\n"), "--baseline"];
            case "series-names-a-missing-patch": return ["--config", scratch.Write(), "--series", Series("0001-present.patch\n0002-missing.patch\n")];
            case "series-lists-a-file-that-is-not-a-patch": return ["--config", scratch.Write(), "--series", Series("0001-present.patch\n0002-prose.patch\n")];
            case "tree-path-in-config-missing": return ["--config", Config("debian-package: linux-source-6.12", "path: " + scratch.File("no-tree"))];
            default: throw new ArgumentException(fault);
        }
    }
}
