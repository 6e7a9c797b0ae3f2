using System.Text;

namespace Harness.Pipeline;

/// <summary>
/// An exclusive lock on one cache entry (a worktree, a build directory) across harness processes.
/// .NET takes an advisory flock for FileShare.None, which the kernel drops when the process dies,
/// so a killed run never blocks the next one. The holder writes its pid and command line into the file and
/// empties it on release: a file still naming a process that is gone is a lock a killed run left, and the next
/// run says it recovered it.
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly FileStream _stream;

    private CacheLock(FileStream stream) => _stream = stream;

    public static async Task<CacheLock> AcquireAsync(string lockFile, IProgressSink progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var told = false;
        while (true)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!told) progress.Stage("-", "lock", $"waiting for another harness run to release {lockFile}");
                told = true;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            if (StaleHolder(stream) is { } holder)
                progress.Stage("-", "lock", $"recovered {lockFile}: it was left by pid {holder}, which is no longer running (a killed run)");
            var owner = Encoding.UTF8.GetBytes($"{Environment.ProcessId} {Environment.CommandLine}\n");
            stream.SetLength(0);
            stream.Write(owner);
            stream.Flush();
            return new CacheLock(stream);
        }
    }

    /// <summary>The first line of the file when it names a pid that no longer runs; null for an empty file or a live holder.</summary>
    private static string? StaleHolder(FileStream stream)
    {
        if (stream.Length == 0) return null;
        var buffer = new byte[Math.Min(stream.Length, 4096)];
        stream.ReadExactly(buffer);
        var line = Encoding.UTF8.GetString(buffer).Split('\n')[0].Trim();
        var pid = line.Split(' ')[0];
        if (!int.TryParse(pid, out var id) || id == Environment.ProcessId || Directory.Exists($"/proc/{id}")) return null;
        return line;
    }

    public void Dispose()
    {
        try
        {
            _stream.SetLength(0);
        }
        catch (IOException)
        {
            // Released anyway when the stream closes; an empty file only saves the next run a message.
        }
        _stream.Dispose();
    }
}
