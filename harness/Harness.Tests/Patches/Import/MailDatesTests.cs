using Harness.Patches.Import;
using NUnit.Framework;

namespace Harness.Tests.Patches.Import;

public class MailDatesTests
{
    [TestCase("Tue May 07 2024 - 09:33:38 EST", "Tue, 7 May 2024 09:33:38 -0500")]
    [TestCase("Tue, 07 May 2024 15:19:31 +0200", "Tue, 7 May 2024 15:19:31 +0200")]
    [TestCase("Wed, 25 Nov 2026 03:01:44 +0000 (UTC)", "Wed, 25 Nov 2026 03:01:44 +0000")]
    [TestCase("Fri Jun 14 2024 - 17:02:11 PDT", "Fri, 14 Jun 2024 17:02:11 -0700")]
    public void Reads_archive_and_mail_dates_into_the_form_format_patch_writes(string input, string expected)
    {
        var date = MailDates.Parse(input);

        Assert.That(date is null ? null : MailDates.Format(date.Value), Is.EqualTo(expected));
    }

    [Test]
    public void Gives_up_on_a_date_it_cannot_read_rather_than_guessing()
    {
        Assert.That(MailDates.Parse("sometime last spring"), Is.Null);
    }
}
