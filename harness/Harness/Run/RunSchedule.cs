namespace Harness.Run;

/// <summary>
/// How many guests may run at once, shared by every run of one process (the cells of a matrix). Kernel builds need
/// no entry here: one make at a time is <see cref="Pipeline.KernelBuildSlot"/>'s job.
/// </summary>
public sealed class RunSchedule
{
    private readonly SemaphoreSlim _guests;

    public RunSchedule(int guests)
    {
        if (guests < 1) throw new ArgumentOutOfRangeException(nameof(guests), guests, "at least one guest");
        Guests = guests;
        _guests = new SemaphoreSlim(guests, guests);
    }

    /// <summary>Guests (QEMU under TCG takes a core each) that may boot and test side by side.</summary>
    public int Guests { get; }

    /// <summary>One run on its own: every arch's guests side by side, as many as the machine has cores but never fewer than two.</summary>
    public static RunSchedule Default() => new(Math.Max(2, Environment.ProcessorCount));

    /// <summary>Waits for a guest slot; dispose the result when the guest is torn down.</summary>
    public async Task<IDisposable> GuestAsync(CancellationToken cancellationToken)
    {
        await _guests.WaitAsync(cancellationToken);
        return new Slot(_guests);
    }

    private sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
