using Harness.Processes;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Processes;

/// <summary>
/// Ctrl-C cancels the token every stage passes to the runner: the program and everything it started (make's
/// compilers, a shell's children) must be gone when the runner returns, or an interrupted run leaves work behind.
/// </summary>
public class ProcessRunnerCancellationTests
{
    [Test, CancelAfter(60_000)]
    public async Task Cancelling_a_run_ends_the_program_and_the_processes_it_started(CancellationToken cancellationToken)
    {
        // A sleep whose argument no other process has, started in the background by a shell that waits for it.
        var marker = $"600.{Random.Shared.Next(100_000, 999_999)}";
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = ProcessSpec.Of("bash", "-c", $"sleep {marker} & echo started; wait") with { OnOutputLine = _ => started.TrySetResult() };

        var run = new ProcessRunner().RunAsync(spec, interrupt.Token);
        await started.Task.WaitAsync(cancellationToken);
        Assert.That(ProcessTable.Containing("sleep " + marker), Is.Not.Empty, "the grandchild must be running before the interrupt");
        interrupt.Cancel();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(ProcessTable.Containing("sleep " + marker), Is.Empty);
    }
}
