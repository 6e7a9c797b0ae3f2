namespace Harness.Pipeline;

/// <summary>
/// One kernel `make` at a time in this process: every build already uses all cores (-jN), so two at once (two trees
/// of a matrix) only fight over them. Builds of the same tree are also serialized across processes by the tree's
/// <see cref="CacheLock"/>; this slot is taken inside that lock, so the two can never wait on each other in a circle.
/// </summary>
public static class KernelBuildSlot
{
    private static readonly SemaphoreSlim Slot = new(1, 1);

    public static async Task<IDisposable> EnterAsync(IProgressSink progress, string arch, CancellationToken cancellationToken)
    {
        if (!await Slot.WaitAsync(0, cancellationToken))
        {
            progress.Stage(arch, "build", "waiting for another kernel build of this process to finish (one make at a time)");
            await Slot.WaitAsync(cancellationToken);
        }
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Slot.Release();
        }
    }
}
