using Harness.Errors;
using Harness.Patches.Inputs;
using Harness.Tests.Patches.Import;
using Harness.Tests.Support;

namespace Harness.Tests.Patches.Inputs;

public class SeriesInputDetectorTests
{
    [Test]
    public void A_directory_is_a_series_directory() =>
        Assert.That(SeriesInputDetector.Detect(SeriesFixtures.ShippedSeriesDirectory), Is.EqualTo(SeriesInputKind.Directory));

    [Test]
    public void The_shipped_series_concatenated_is_an_mbox() =>
        Assert.That(SeriesInputDetector.DetectText(SeriesFixtures.ShippedSeriesAsMbox(), "x"), Is.EqualTo(SeriesInputKind.Mbox));

    [Test]
    public void A_b4_mbox_is_an_mbox() =>
        Assert.That(SeriesInputDetector.DetectText(SeriesFixtures.B4Mbox, "x"), Is.EqualTo(SeriesInputKind.Mbox));

    [Test]
    public void One_format_patch_file_without_a_separator_line_is_an_mbox()
    {
        var patch = File.ReadAllText(Directory.GetFiles(SeriesFixtures.ShippedSeriesDirectory, "0001-*.patch").Single());
        Assert.That(SeriesInputDetector.DetectText(patch[(patch.IndexOf('\n') + 1)..], "x"), Is.EqualTo(SeriesInputKind.Mbox));
    }

    [Test]
    public void The_web_archive_copy_is_an_archive_copy() =>
        Assert.That(SeriesInputDetector.Detect(SeriesFixtures.ArchiveCopyPath), Is.EqualTo(SeriesInputKind.ArchiveCopy));

    [Test]
    public void An_mbox_whose_diff_lost_its_whitespace_goes_to_the_importer() =>
        Assert.That(SeriesInputDetector.DetectText(ImportFixtures.Mangle(SeriesFixtures.B4Mbox), "x"), Is.EqualTo(SeriesInputKind.ArchiveCopy));

    [TestCase(" \n\n", "x.mbox: the file is empty. Give a series directory, an mbox (b4 am, git format-patch --stdout) or a web archive copy of a patch mail.")]
    [TestCase("From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] words\n\nno diff here\n", "x.mbox: no diff found (no '@@ -N,M +N,M @@' hunk header), so it is not a patch.")]
    public void Refuses_a_file_that_holds_no_patch(string text, string message)
    {
        using var temp = new TempDirectory();
        var file = temp.Write("x.mbox", text);
        var error = Assert.Throws<BadInputException>(() => SeriesInputDetector.Detect(file));
        Assert.That(error!.Message, Does.StartWith(file.Replace("x.mbox", "") + message));
    }
}
