using Harness.Run;

namespace Harness.Tests.Support;

/// <summary>
/// The job files a fake target was sent (<see cref="GuestLoads"/> uploads one per loader command and deletes the local
/// copy right after, so the content is kept at upload time), and the jobs a loader command's --jobs names.
/// </summary>
internal sealed class UploadedJobFiles
{
    private readonly Dictionary<string, string> _files = [];

    /// <summary>Every job file's remote path, in upload order.</summary>
    public List<string> Paths { get; } = [];

    /// <summary>Where each job file was on the host when it was uploaded.</summary>
    public List<string> LocalPaths { get; } = [];

    /// <summary>Keeps the content when <paramref name="remotePath"/> is a job file.</summary>
    public void Uploaded(string localPath, string remotePath)
    {
        if (!Path.GetFileName(remotePath).StartsWith("harness-jobs-", StringComparison.Ordinal)) return;
        lock (_files)
        {
            _files[remotePath] = File.ReadAllText(localPath);
            Paths.Add(remotePath);
            LocalPaths.Add(localPath);
        }
    }

    /// <summary>The jobs of the file the command's --jobs names (none when it names none).</summary>
    public IReadOnlyList<LoaderJob> Of(string command)
    {
        var words = command.Split(' ');
        var at = Array.IndexOf(words, "--jobs");
        if (at < 0 || at + 1 >= words.Length) return [];
        lock (_files)
            return _files[words[at + 1].Trim('\'')].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(LoaderJob.FromLine).ToArray();
    }
}
