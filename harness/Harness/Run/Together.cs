namespace Harness.Run;

/// <summary>Tasks that succeed or fail as one: the first failure cancels the others, and is what the caller sees once all have ended.</summary>
public static class Together
{
    /// <summary>
    /// Awaits every task. When one fails, <paramref name="stop"/> is cancelled so the others end (killing their
    /// processes and guests on the way out); once all have ended, the first real failure is thrown, not the
    /// cancellations it caused.
    /// </summary>
    public static async Task AllAsync(IReadOnlyList<Task> tasks, CancellationTokenSource stop)
    {
        Exception? first = null;
        foreach (var task in tasks)
            _ = task.ContinueWith(t =>
            {
                if (!t.IsFaulted) return;
                // The first task to fail is the cause; a build killed by the cancellation that followed may fail too, later.
                Interlocked.CompareExchange(ref first, t.Exception!.InnerException, null);
                TryCancel(stop);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            // WhenAll has waited for every task, but a continuation may still be about to record its failure.
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            var failure = Volatile.Read(ref first);
            if (failure is not null and not OperationCanceledException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            throw;
        }
    }

    private static void TryCancel(CancellationTokenSource stop)
    {
        try { stop.Cancel(); }
        catch (ObjectDisposedException) { /* the run is over already */ }
    }
}
