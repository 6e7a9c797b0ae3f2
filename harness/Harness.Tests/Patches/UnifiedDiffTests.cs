using Harness.Patches;
using NUnit.Framework;

namespace Harness.Tests.Patches;

public class UnifiedDiffTests
{
    [Test]
    public void Reads_hunks_by_their_counts_so_context_starting_with_minus_is_not_a_new_file_header()
    {
        const string patch = """
            diff --git a/kernel/a.c b/kernel/a.c
            --- a/kernel/a.c
            +++ b/kernel/a.c
            @@ -10,3 +10,3 @@ static int f(void)
             	x = 1;
            --- not a header, a removed line that starts with "-- "
            +++ not a header either, an added line
             	return x;
            @@ -40 +40 @@
            -old
            +new
            """;

        var files = UnifiedDiff.Parse(patch);

        Assert.That(files, Has.Count.EqualTo(1));
        Assert.That(files[0].OldPath, Is.EqualTo("kernel/a.c"));
        Assert.That(files[0].Hunks.Select(h => (h.OldStart, h.OldCount)), Is.EqualTo(new[] { (10, 3), (40, 1) }));
        Assert.That(files[0].Hunks[0].Header, Is.EqualTo("@@ -10,3 +10,3 @@ static int f(void)"));
        Assert.That(files[0].Hunks[0].OldLines, Is.EqualTo(new[] { "\tx = 1;", "-- not a header, a removed line that starts with \"-- \"", "\treturn x;" }));
    }

    [Test]
    public void Finds_the_nearest_lines_even_when_the_tree_moved_them()
    {
        string[] tree = ["a", "b", "c", "x", "y", "z", "w"];

        var (start, matches) = HunkFailureReport.NearestLines(tree, ["x", "CHANGED", "z"], hint: 0);

        Assert.That((start, matches), Is.EqualTo((3, 2)));
    }
}
