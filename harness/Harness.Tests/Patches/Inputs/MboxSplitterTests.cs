using Harness.Errors;
using Harness.Patches;
using Harness.Patches.Inputs;

namespace Harness.Tests.Patches.Inputs;

public class MboxSplitterTests
{
    [Test]
    public void Splits_the_shipped_series_mbox_into_the_directory_s_patches_byte_for_byte_and_names()
    {
        var directory = SeriesReader.Read(SeriesFixtures.ShippedSeriesDirectory).Patches;

        var (patches, notes) = MboxSplitter.Patches(MboxSplitter.Split(SeriesFixtures.ShippedSeriesAsMbox(), "series.mbox"), "series.mbox");

        Assert.Multiple(() =>
        {
            Assert.That(patches.Select(p => p.Text), Is.EqualTo(directory.Select(p => File.ReadAllText(p.Path))));
            Assert.That(patches.Select((p, i) => MboxSplitter.FileName(i + 1, p.Subject)), Is.EqualTo(directory.Select(p => p.Name)));
            Assert.That(patches.Select(p => (p.Number, p.Total)), Is.EqualTo(new (int?, int?)[] { (1, 3), (2, 3), (3, 3) }));
            Assert.That(notes, Is.Empty);
        });
    }

    [Test]
    public void Skips_b4_s_cover_letter_and_orders_the_patches_by_their_number()
    {
        var messages = MboxSplitter.Split(SeriesFixtures.B4Mbox, "b4.mbox");

        var (patches, notes) = MboxSplitter.Patches(messages, "b4.mbox");

        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Count.EqualTo(3));
            Assert.That(string.Concat(messages.Select(m => m.Text)), Is.EqualTo(SeriesFixtures.B4Mbox), "the messages put together are the file");
            Assert.That(patches.Select(p => p.Number), Is.EqualTo(new int?[] { 1, 2 }));
            Assert.That(patches.Select(p => p.Line), Is.EqualTo(new[] { 62, 21 }));
            Assert.That(patches[0].Text, Does.StartWith("From git@z Thu Jan  1 00:00:00 1970\n"));
            Assert.That(notes.Single(), Does.Contain("cover letter skipped: message 1 ('[PATCH 0/2] bpf: log kfunc argument suffixes')"));
        });
    }

    [TestCase("[PATCH 1/3] bpf: add kfunc_meta parameter to push_callback_call()", 1, "0001-bpf-add-kfunc_meta-parameter-to-push_callback_call.patch")]
    [TestCase("[PATCH RFC bpf-next 3/8] bpf: implement __async and __s_async kfunc suffixes", 1, "0001-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch")]
    [TestCase("Re: [PATCH v2] selftests/bpf: fix a.b..c -- really!", 12, "0012-selftests-bpf-fix-a.b.c-really.patch")]
    [TestCase("[PATCH] !!!", 2, "0002-patch.patch")]
    public void Names_patch_files_as_git_format_patch_does(string subject, int position, string expected) =>
        Assert.That(MboxSplitter.FileName(position, subject), Is.EqualTo(expected));

    [TestCase("", "x.mbox: the mbox is empty")]
    [TestCase("From 1234 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH 1/2] one\n\nbody\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n" +
              "From 5678 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH 2/2] two\n\nonly words, the diff was lost\n",
        "x.mbox: message 2 at line 13 ('[PATCH 2/2] two') has no diff (no '@@ -N,M +N,M @@' hunk). Remove the message from the mbox, or give the full patch mail")]
    [TestCase("From 1234 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH 0/1] cover\n\nwords only\n",
        "x.mbox: no message carries a diff (1 message(s), none a patch)")]
    [TestCase("From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH 1/1] v1\n\n@@ -1 +1 @@\n-a\n+b\nFrom 2 Mon Sep 17 00:00:00 2001\nSubject: [PATCH v2 1/1] v2\n\n@@ -1 +1 @@\n-a\n+c\n",
        "x.mbox: messages 1 ('[PATCH 1/1] v1') and 2 ('[PATCH v2 1/1] v2') are both patch 1: two versions of the series are mixed")]
    public void Refuses_an_mbox_it_cannot_make_a_series_of(string mbox, string message)
    {
        var error = Assert.Throws<BadInputException>(() => MboxSplitter.Patches(MboxSplitter.Split(mbox, "x.mbox"), "x.mbox"));
        Assert.That(error!.Message, Does.StartWith(message));
    }

    [Test]
    public void Says_which_patches_of_the_thread_an_mbox_leaves_out()
    {
        const string mbox = "From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH 3/4] three\n\n@@ -1 +1 @@\n-a\n+b\n";

        var (_, notes) = MboxSplitter.Patches(MboxSplitter.Split(mbox, "x.mbox"), "x.mbox");

        Assert.That(notes, Is.EqualTo(new[] { "patches 1/4, 2/4, 4/4 of the thread are not in the input" }));
    }
}
