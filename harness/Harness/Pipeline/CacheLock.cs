namespace Harness.Pipeline;

/// <summary>
/// An exclusive lock on one cache entry (a worktree, a build directory) across harness processes.
/// .NET takes an advisory flock for FileShare.None, which the kernel drops when the process dies,
/// so a killed run never leaves a stale lock behind.
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
            try
            {
                return new CacheLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told) progress.Stage("-", "lock", $"waiting for another harness run to release {lockFile}");
                told = true;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
