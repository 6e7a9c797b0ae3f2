namespace Harness.Patches.Inputs;

/// <summary>`harness validate`'s look at --series: reads it as the run would, without writing anything or touching the tree.</summary>
public static class SeriesInputCheck
{
    /// <summary>"3 patches (mbox)"; throws <see cref="Errors.BadInputException"/> for what the run would refuse before applying.</summary>
    public static string Check(string path)
    {
        switch (SeriesInputDetector.Detect(path))
        {
            case SeriesInputKind.Directory:
                return Reports.Words.Count(SeriesReader.Read(path).Patches.Count, "patch", "patches");
            case SeriesInputKind.Mbox:
                var (patches, _) = MboxSplitter.Patches(MboxSplitter.Split(File.ReadAllText(path), path), path);
                return Reports.Words.Count(patches.Count, "patch", "patches") + " (mbox)";
            default:
                // Where its hunks go is only known against the tree, which validate does not provision.
                var mails = MboxSplitter.Split(File.ReadAllText(path), path).Count(m => m.HasDiff);
                return $"{Reports.Words.Count(mails, "patch mail", "patch mails")} (web archive copy: its hunks are placed against the tree when the run imports it)";
        }
    }
}
