using Harness.Processes;

namespace Harness.Tests.Support;

/// <summary>
/// Stands in for QEMU at the process-runner boundary: a KVM probe fails at once; a boot prints the given
/// console lines, then either exits (as QEMU does after panic=-1 + -no-reboot) or runs until it is stopped.
/// </summary>
public sealed class FakeQemuRunner(IReadOnlyList<string> console, int? exitCodeAfterConsole) : IProcessRunner
{
    private int _running;

    public List<ProcessSpec> Started { get; } = [];

    /// <summary>When set, the first boot prints this line and exits 1 (as QEMU does when its port was taken).</summary>
    public string? FirstBootFailsWith { get; init; }
    public bool StoppedGracefully { get; private set; }
    public int Running => _running;

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken, CancellationToken gracefulCancellation = default)
    {
        lock (Started) Started.Add(spec);
        if (spec.Arguments.Contains("kvm"))
            return Result(spec, 1, ["qemu-system-x86_64: error: failed to set MSR 0x10a"]);

        if (FirstBootFailsWith is { } message && Started.Count(s => !s.Arguments.Contains("kvm")) == 1)
            return Result(spec, 1, [message]);

        Interlocked.Increment(ref _running);
        try
        {
            foreach (var line in console)
            {
                spec.OnOutputLine?.Invoke(line);
                await Task.Delay(5, CancellationToken.None);
            }
            if (exitCodeAfterConsole is { } code) return Result(spec, code, console);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, gracefulCancellation);
            try
            {
                await Task.Delay(Timeout.Infinite, either.Token);
            }
            catch (OperationCanceledException)
            {
                StoppedGracefully = gracefulCancellation.IsCancellationRequested;
                throw;
            }
            throw new InvalidOperationException("unreachable");
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static ProcessResult Result(ProcessSpec spec, int code, IReadOnlyList<string> tail) =>
        new(spec, code, TimeSpan.FromMilliseconds(10), "", "", tail, TimedOut: false);
}
