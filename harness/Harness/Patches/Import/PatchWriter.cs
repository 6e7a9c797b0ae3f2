using System.Security.Cryptography;
using System.Text;

namespace Harness.Patches.Import;

/// <summary>
/// Writes one imported message the way `git format-patch` does: mbox "From " line, From/Date/Subject headers,
/// the message, `---`, notes, a regenerated diffstat, the diff with real blob ids (so `git am -3` can fall
/// back to a three-way merge), and the `-- ` signature.
/// </summary>
internal static class PatchWriter
{
    public static string Write(MailMessage message, IReadOnlyList<FileResult> files)
    {
        var text = new StringBuilder();
        text.Append("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
        text.Append($"From: {message.AuthorName} <{message.AuthorEmail}>\n");
        if (message.Date is { } date) text.Append($"Date: {MailDates.Format(date)}\n");
        text.Append($"Subject: {message.Subject}\n\n");
        foreach (var line in message.Message) text.Append(line).Append('\n');
        text.Append("---\n");
        if (message.Notes.Count > 0)
        {
            foreach (var line in message.Notes) text.Append(line).Append('\n');
            text.Append('\n');
        }
        text.Append(Diffstat(files)).Append('\n');
        foreach (var file in files) AppendFile(text, file);
        text.Append("-- \n").Append(message.Signature ?? "2.39.5").Append("\n\n");
        return text.ToString();
    }

    private static void AppendFile(StringBuilder text, FileResult file)
    {
        var d = file.Diff;
        text.Append($"diff --git a/{d.OldPath} b/{d.NewPath}\n");
        var mode = d.Mode ?? "100644";
        var oldId = file.OldContent is null ? "000000000000" : BlobId(file.OldContent);
        var newId = file.NewContent is null ? "000000000000" : BlobId(file.NewContent);
        if (d.IsNew) text.Append($"new file mode {mode}\nindex {oldId}..{newId}\n");
        else if (d.IsDeleted) text.Append($"deleted file mode {mode}\nindex {oldId}..{newId}\n");
        else text.Append($"index {oldId}..{newId} {mode}\n");
        text.Append(d.IsNew ? "--- /dev/null\n" : $"--- a/{d.OldPath}\n");
        text.Append(d.IsDeleted ? "+++ /dev/null\n" : $"+++ b/{d.NewPath}\n");
        foreach (var hunk in file.Hunks)
        {
            text.Append(hunk.Header).Append('\n');
            foreach (var line in hunk.Lines) text.Append(line).Append('\n');
        }
    }

    /// <summary>git's blob id (SHA-1 of "blob &lt;size&gt;\0" + content), abbreviated to 12 digits as format-patch does.</summary>
    private static string BlobId(FileContent content)
    {
        var bytes = Encoding.UTF8.GetBytes(content.ToText());
        var header = Encoding.ASCII.GetBytes($"blob {bytes.Length}\0");
        var hash = SHA1.HashData([.. header, .. bytes]);
        return Convert.ToHexStringLower(hash)[..12];
    }

    /// <summary>A diffstat like git's: name, change count, and a +/- graph scaled to an 80-column line.</summary>
    private static string Diffstat(IReadOnlyList<FileResult> files)
    {
        var text = new StringBuilder();
        var nameWidth = files.Max(f => f.Path.Length);
        var max = files.Max(f => f.Added + f.Removed);
        var countWidth = max.ToString().Length;
        var graphWidth = Math.Max(1, 79 - (1 + nameWidth + 3 + countWidth + 1));
        foreach (var f in files)
        {
            var total = f.Added + f.Removed;
            int plus = f.Added, minus = f.Removed;
            if (max > graphWidth && total > 0)
            {
                // Scale like git: the widest file fills the width; a non-zero side keeps at least one mark.
                var scaled = Math.Max(1, (int)Math.Round((double)total * graphWidth / max));
                plus = f.Added == 0 ? 0 : Math.Max(1, (int)Math.Round((double)f.Added * scaled / total));
                minus = f.Removed == 0 ? 0 : Math.Max(1, scaled - plus);
            }
            text.Append($" {f.Path.PadRight(nameWidth)} | {total.ToString().PadLeft(countWidth)} {new string('+', plus)}{new string('-', minus)}\n");
        }
        var added = files.Sum(f => f.Added);
        var removed = files.Sum(f => f.Removed);
        text.Append($" {files.Count} file{(files.Count == 1 ? "" : "s")} changed");
        if (added > 0) text.Append($", {added} insertion{(added == 1 ? "" : "s")}(+)");
        if (removed > 0) text.Append($", {removed} deletion{(removed == 1 ? "" : "s")}(-)");
        text.Append('\n');
        return text.ToString();
    }
}
