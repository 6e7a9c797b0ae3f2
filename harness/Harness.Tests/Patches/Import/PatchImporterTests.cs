using Harness.Errors;
using Harness.Patches.Import;
using NUnit.Framework;

namespace Harness.Tests.Patches.Import;

public class PatchImporterTests
{
    private static readonly string Seed = ImportFixtures.Read("bpf-async-kfunc-suffixes.rfc.txt");
    private static readonly string OwnClean = ImportFixtures.Read("own-clean.patch");

    [Test, CancelAfter(60_000)]
    public async Task Turns_the_mangled_seed_into_a_patch_that_git_applies_and_git_am_commits(CancellationToken ct)
    {
        var result = PatchImporter.Import(Seed, ImportFixtures.Tree, "seed");

        await using var repo = await ScratchRepo.CreateAsync(ImportFixtures.Tree, ct);
        var patch = await repo.WriteAsync("seed.patch", result.Patch, ct);
        await repo.GitAsync(ct, "apply", "--check", patch);
        await repo.GitAsync(ct, "am", patch);
        var log = await repo.GitAsync(ct, "log", "-1", "--format=%an <%ae>|%aI|%s");
        Assert.That(log.StandardOutput.Trim(), Is.EqualTo(
            "Benjamin Tissoires <bentiss@xxxxxxxxxx>|2024-05-07T09:33:38-05:00|bpf: implement __async and __s_async kfunc suffixes"));
    }

    [Test]
    public void Reports_where_each_seed_hunk_landed_and_the_context_that_differs_in_6_12()
    {
        var hunks = PatchImporter.Import(Seed, ImportFixtures.Tree, "seed").Hunks;

        Assert.That(hunks.Select(h => h.PlacedAtLine), Is.EqualTo(new[] { 340, 10112, 10123, 11501, 11656, 12774, 12871, 12941, 17037 }));
        Assert.That(hunks.Select(h => h.DifferingContext.Count), Is.EqualTo(new[] { 0, 0, 2, 0, 0, 0, 0, 0, 1 }));
        Assert.That(hunks[2].DifferingContext.Select(d => (d.Tree.Trim(), d.Patch.Trim())), Is.EqualTo(new[]
        {
            ("if (IS_ERR(async_cb))", "if (!async_cb)"),
            ("return PTR_ERR(async_cb);", "return -EFAULT;"),
        }));
        Assert.That(hunks.All(h => h.Reindented));
    }

    [Test]
    public void Emits_the_trees_lines_where_the_seeds_context_differs()
    {
        var patch = PatchImporter.Import(Seed, ImportFixtures.Tree, "seed").Patch;

        Assert.That(patch, Does.Contain("\n \t\tif (IS_ERR(async_cb))\n \t\t\treturn PTR_ERR(async_cb);\n"));
        Assert.That(patch, Does.Not.Contain("if (!async_cb)"));
    }

    [Test]
    public void Restores_the_seeds_indentation_as_recorded_in_the_golden_output()
    {
        var patch = PatchImporter.Import(Seed, ImportFixtures.Tree, "seed").Patch;

        Assert.That(patch, Is.EqualTo(ImportFixtures.Read("bpf-async-kfunc-suffixes.expected.patch")));
    }

    [TestCase(false, TestName = "Recovers_our_own_patch_from_a_mangled_mbox_byte_for_byte")]
    [TestCase(true, TestName = "Recovers_our_own_patch_from_a_mangled_archive_copy_byte_for_byte")]
    public void Recovers_our_own_patch_from_a_mangled_copy(bool archiveLayout)
    {
        var mangled = ImportFixtures.Mangle(OwnClean);
        if (archiveLayout) mangled = ImportFixtures.AsArchiveCopy(mangled);

        var result = PatchImporter.Import(mangled, ImportFixtures.Tree, "own");

        Assert.That(ImportFixtures.AddedLines(result.Patch), Is.EqualTo(ImportFixtures.AddedLines(OwnClean)));
        Assert.That(ImportFixtures.DiffPart(result.Patch), Is.EqualTo(ImportFixtures.DiffPart(OwnClean)));
    }

    [Test, CancelAfter(60_000)]
    public async Task Imports_a_series_where_the_second_patch_changes_what_the_first_one_added(CancellationToken ct)
    {
        var series = ImportFixtures.Read("own-series.mbox");

        var result = PatchImporter.Import(ImportFixtures.Mangle(series), ImportFixtures.Tree, "series");

        Assert.That(result.Messages.Select(m => (m.Subject, m.Author)), Is.EqualTo(new[]
        {
            ("[PATCH 1/2] bpf: log kfunc argument suffixes (test patch)", "Harness Test <harness@example.org>"),
            ("[PATCH 2/2] bpf: name big size arguments (test patch 2/2)", "Other Dev <other@example.org>"),
        }));
        Assert.That(ImportFixtures.AddedLines(result.Patch), Is.EqualTo(ImportFixtures.AddedLines(series)));
        await using var repo = await ScratchRepo.CreateAsync(ImportFixtures.Tree, ct);
        await repo.GitAsync(ct, "am", await repo.WriteAsync("series.mbox", result.Patch, ct));
        var log = await repo.GitAsync(ct, "log", "--format=%an", "-2");
        Assert.That(log.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "Other Dev", "Harness Test" }));
    }

    [Test]
    public void Reads_context_lines_that_start_with_plus_or_minus_as_context()
    {
        var result = PatchImporter.Import(ImportFixtures.Mangle(OwnClean), ImportFixtures.Tree, "own");

        Assert.That(result.Hunks.SelectMany(h => h.Reinterpreted).Select(l => l.Trim()),
            Is.EquivalentTo(new[] { "++elem->st.parent->branches;", "-(subprogs[0].stack_depth + 8));" }));
    }

    [Test, CancelAfter(60_000)]
    public async Task Imports_a_mangled_copy_that_git_am_accepts_with_its_index_lines_matching_the_blobs(CancellationToken ct)
    {
        var result = PatchImporter.Import(ImportFixtures.Mangle(OwnClean), ImportFixtures.Tree, "own");

        await using var repo = await ScratchRepo.CreateAsync(ImportFixtures.Tree, ct);
        await repo.GitAsync(ct, "am", "--3way", await repo.WriteAsync("own.patch", result.Patch, ct));
        var blob = await repo.GitAsync(ct, "rev-parse", "HEAD:kernel/bpf/verifier.c");
        Assert.That(result.Patch, Does.Contain($"..{blob.StandardOutput.Trim()[..12]} 100644"));
        Assert.That(result.Hunks.Select(h => h.Offset), Is.All.EqualTo(0));
    }

    [Test]
    public void Keeps_a_clean_mbox_unchanged_apart_from_the_regenerated_parts()
    {
        var result = PatchImporter.Import(OwnClean, ImportFixtures.Tree, "own");

        Assert.That(ImportFixtures.DiffPart(result.Patch), Is.EqualTo(ImportFixtures.DiffPart(OwnClean)));
        Assert.That(result.Hunks.Any(h => h.Reindented), Is.False);
    }

    [Test]
    public void Places_a_hunk_whose_header_line_numbers_are_far_off()
    {
        var shifted = OwnClean.Replace("@@ -11501,6 +11506,44 @@", "@@ -9001,6 +9006,44 @@");

        var hunk = PatchImporter.Import(ImportFixtures.Mangle(shifted), ImportFixtures.Tree, "own").Hunks[2];

        Assert.That((hunk.PlacedAtLine, hunk.Offset, hunk.Header.Split(" @@")[0]), Is.EqualTo((11501, 2500, "@@ -11501,6 +11506,44")));
    }

    [TestCase("unplaceable", "own: kernel/bpf/verifier.c: hunk 3 (@@ -11501,6 +11506,44 @@ static bool is_kfunc_arg_const_str(const struct btf *btf, const struct btf_param) does not match the tree. Closest location: line 11501 (3 of 6 lines differ")]
    [TestCase("removed", "own: kernel/bpf/verifier.c: hunk 1 (@@ -1738,7 +1738,8 @@ static struct bpf_verifier_state *push_stack(struct bpf_verifier_env *env,) does not match the tree; removed line 'if (env->stack_size > BPF_COMPLEXITY_LIMIT_JMP_SEQ_MAX) {' is not in the tree there. Closest location: line 1738")]
    [TestCase("missing file", "own: kernel/bpf/nonexistent.c is not in the tree")]
    [TestCase("empty", "own: the file is empty")]
    [TestCase("not a patch", "own: no diff found (no '@@ -N,M +N,M @@' hunk header)")]
    [TestCase("no author", "own: message 1 ('[PATCH] x') has no From: line")]
    public void Rejects_bad_input_with_a_message_naming_the_problem(string kind, string message)
    {
        var input = kind switch
        {
            "unplaceable" => OwnClean.Replace(" static bool is_kfunc_arg_scalar_with_name", " static bool no_such_function")
                .Replace("\t\t\t\t\t  const struct btf_param *arg,\n", "\t\t\t\t\t  const struct btf_param *nope,\n").Replace("\t\t\t\t\t  const char *name)", "\t\t\t\t\t  const char *nope)"),
            "removed" => OwnClean.Replace("-\tif (env->stack_size > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {", "-\tif (env->stack_size > BPF_COMPLEXITY_LIMIT_JMP_SEQ_MAX) {"),
            "missing file" => OwnClean.Replace("kernel/bpf/verifier.c", "kernel/bpf/nonexistent.c"),
            "empty" => "\n\n",
            "not a patch" => "Subject: hello\n\nJust a mail about BPF.\n",
            "no author" => "Subject: [PATCH] x\n\nbody\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var error = Assert.Throws<BadInputException>(() => PatchImporter.Import(ImportFixtures.Mangle(input), ImportFixtures.Tree, "own"));

        Assert.That(error!.Message, Does.StartWith(message));
    }

    [Test]
    public void Shows_the_trees_lines_at_the_closest_location_of_an_unplaceable_hunk()
    {
        var input = OwnClean.Replace(" \treturn btf_param_match_suffix(btf, arg, \"__str\");", " \treturn btf_param_match_suffix(btf, arg, \"__string\");")
            .Replace(" static bool is_kfunc_arg_scalar_with_name", " static bool is_kfunc_arg_scalar_named")
            .Replace(" \t\t\t\t\t  const char *name)", " \t\t\t\t\t  const char *nom)");

        var error = Assert.Throws<BadInputException>(() => PatchImporter.Import(input, ImportFixtures.Tree, "own"));

        Assert.That(error!.Message, Does.Contain("! tree  11501: \treturn btf_param_match_suffix(btf, arg, \"__str\");\n  ! patch       : return btf_param_match_suffix(btf, arg, \"__string\");"));
    }
}
