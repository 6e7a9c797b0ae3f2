using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// Patches that cannot be used, given to the real CLI: a hunk `git am` cannot apply (the message names the patch, its
/// line in the series file, the file and the hunk, and the fix), and a mangled archive copy whose hunk matches no
/// place in the tree. Both exit 3, and nothing is built or written.
/// </summary>
[Category("Faults")]
public class PatchFaultTests
{
    private const string PatchName = "0001-bpf-change-a-line-the-tree-does-not-have.patch";

    /// <summary>A format-patch whose only hunk expects lines the fake tree's verifier.c does not have.</summary>
    private const string NonApplyingPatch = """
        From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
        From: Harness Developers <harness-dev@example.org>
        Date: Wed, 25 Nov 2026 00:00:00 +0000
        Subject: [PATCH] bpf: change a line the tree does not have

        Signed-off-by: Harness Developers <harness-dev@example.org>
        ---
         kernel/bpf/verifier.c | 2 +-
         1 file changed, 1 insertion(+), 1 deletion(-)

        diff --git a/kernel/bpf/verifier.c b/kernel/bpf/verifier.c
        --- a/kernel/bpf/verifier.c
        +++ b/kernel/bpf/verifier.c
        @@ -2,3 +2,3 @@
         line 2
        -int old_check(void);
        +int new_check(void);
         line 4
        -- 
        2.39.5

        """;

    /// <summary>A web-archive copy (indentation gone) of a patch written for another tree: its context is nowhere in verifier.c.</summary>
    private const string MangledForAnotherTree = """
        From: Harness Developers <harness-dev@example.org>
        Subject: [PATCH] bpf: something for a tree we do not have
        Date: Wed, 25 Nov 2026 00:00:00 +0000

        Signed-off-by: Harness Developers <harness-dev@example.org>
        ---
        diff --git a/kernel/bpf/verifier.c b/kernel/bpf/verifier.c
        --- a/kernel/bpf/verifier.c
        +++ b/kernel/bpf/verifier.c
        @@ -100,6 +100,7 @@ static int no_such_function(struct bpf_verifier_env *env)
        int totally_invented_a = 1;
        int totally_invented_b = 2;
        int totally_invented_c = 3;
        + int added = 4;
        int totally_invented_d = 5;
        int totally_invented_e = 6;
        int totally_invented_f = 7;
        --
        2.39.5
        """;

    [TestCase("patch", "apply"), TestCase("run", null), CancelAfter(120_000)]
    public async Task A_patch_whose_hunk_does_not_apply_exits_3_naming_patch_file_hunk_and_fix(string command, string? subcommand, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var tree = await FakeKernelTree.CreateAsync(scratch.File("linux"), cancellationToken);
        tree.Write("kernel/bpf/verifier.c", GitRepo.Lines(1, 10));
        await tree.CommitAllAsync("ten lines", cancellationToken);
        scratch.Text = scratch.Text.Replace("without: [0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch]", $"without: [{PatchName}]");
        scratch.WriteFile("series/series", $"# one patch\n{PatchName}\n");
        scratch.WriteFile($"series/{PatchName}", NonApplyingPatch);
        string[] arguments = subcommand is null
            ? [command, "--config", scratch.Write(), "--tree", tree.Path, "--series", scratch.File("series"), "--arch", "x86_64", "--no-baseline"]
            : [command, subcommand, "--config", scratch.Write(), "--tree", tree.Path, "--series", scratch.File("series")];

        var result = await HarnessCli.RunAsync(arguments, cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{scratch.File("series", PatchName)} (listed at {scratch.File("series", "series")}:2)"));
        Assert.That(result.StandardError, Does.Contain($"patch {PatchName} does not apply: kernel/bpf/verifier.c, hunk @@ -2,3 +2,3 @@"));
        Assert.That(result.StandardError, Does.Contain("-int old_check(void);").Or.Contain("int old_check(void);"), "the hunk's expected lines are shown");
        Assert.That(result.StandardError, Does.Contain("Fix: rebase the patch onto this tree"));
        scratch.AssertNothingBuiltBootedOrWritten(command, treeWork: true);
    }

    [Test, CancelAfter(60_000)]
    public async Task A_mangled_patch_that_matches_no_place_in_the_tree_exits_3_naming_the_hunk_and_writes_no_patch(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var copy = scratch.WriteFile("copied.txt", MangledForAnotherTree);
        var output = scratch.File("fixed.patch");
        var tree = Checkout.Fixture("Patches", "Import", "tree-6.12");

        var result = await HarnessCli.RunAsync(["patch", "import", copy, "--tree", tree, "-o", output], cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{copy}: kernel/bpf/verifier.c: hunk 1 (@@ -100,6 +100,7 @@"));
        Assert.That(result.StandardError, Does.Contain("does not match the tree"));
        Assert.That(result.StandardError, Does.Contain("Rebase the patch onto this tree, or pass the --tree it was written for."));
        Assert.That(File.Exists(output), Is.False, "a patch was written although it could not be placed");
        scratch.AssertNothingBuiltBootedOrWritten("patch import");
    }
}
