using NUnit.Framework;
using Harness.Errors;
using Harness.Patches;
using Harness.Tests.Support;

namespace Harness.Tests.Patches;

public class SeriesReaderTests
{
    [Test]
    public void Reads_patches_in_order_skipping_comments_and_blank_lines()
    {
        using var temp = new TempDirectory();
        temp.Write("0001-a.patch", "");
        temp.Write("0002-b.patch", "");
        temp.Write("series", "# the series\n0001-a.patch\n\n0002-b.patch  # review this one\n");

        var series = SeriesReader.Read(temp.Path);

        Assert.That(series.Patches.Select(p => (p.Name, p.Line)), Is.EqualTo(new[] { ("0001-a.patch", 2), ("0002-b.patch", 4) }));
        Assert.That(series.Patches[1].Path, Is.EqualTo(temp.Combine("0002-b.patch")));
    }

    [TestCase(null, "series: series file not found. Create it with one patch file name per line")]
    [TestCase("# nothing yet\n\n", "series: lists no patches. Add one patch file name per line.")]
    [TestCase("0001-a.patch\n0002-missing.patch\n", "series:2: patch '0002-missing.patch' does not exist")]
    [TestCase("0001-a.patch -p1\n", "series:1: '0001-a.patch -p1' has more than a file name.")]
    [TestCase("0001-a.patch\n0001-a.patch\n", "series:2: patch '0001-a.patch' is listed twice.")]
    public void Rejects_a_bad_series_naming_the_file_and_line(string? seriesText, string expected)
    {
        using var temp = new TempDirectory();
        temp.Write("0001-a.patch", "");
        if (seriesText is not null) temp.Write("series", seriesText);

        var error = Assert.Throws<BadInputException>(() => SeriesReader.Read(temp.Path))!;

        Assert.That(error.Message, Does.StartWith(temp.Combine("series")));
        Assert.That(error.Message, Does.Contain(expected));
    }

    [Test]
    public void Baseline_leaves_out_the_named_patches_and_keeps_the_order()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "1.patch", "2.patch", "3.patch" }) temp.Write(name, "");
        temp.Write("series", "1.patch\n2.patch\n3.patch\n");

        var baseline = SeriesReader.Read(temp.Path).Without(["2.patch"]);

        Assert.That(baseline.Patches.Select(p => p.Name), Is.EqualTo(new[] { "1.patch", "3.patch" }));
    }
}
