using System.Diagnostics;
using Harness.Errors;
using Harness.Ssh;

namespace Harness.Boards;

/// <summary>
/// Every SSH connection one kernel's run opens to a board: the first and the ones after it came back (probes that only
/// check whether it still answers are the caller's to close). <see cref="Live"/> is the newest (an older one may have
/// broken); all are closed at the end. The harness never power-cycles a board: getting it back means connecting again.
/// </summary>
public sealed class BoardSessions(BoardTarget board, BoardTestStage.Connector connect) : IAsyncDisposable
{
    /// <summary>How long one connection attempt may take.</summary>
    private static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(20);

    /// <summary>The least time one attempt gets.</summary>
    private static readonly TimeSpan MinAttempt = TimeSpan.FromSeconds(5);

    /// <summary>The pause between attempts while the board is away (rebooting, say).</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    private readonly List<IGuestSession> _opened = [];

    public BoardTarget Board => board;

    /// <summary>The newest connection; null before the first.</summary>
    public IGuestSession? Live { get; private set; }

    /// <summary>One connection attempt (host key checked as always); its failure is the caller's.</summary>
    public async Task<IGuestSession> OpenAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var session = await connect(board, timeout, cancellationToken);
        lock (_opened) _opened.Add(session);
        Live = session;
        return session;
    }

    /// <summary>
    /// Connects again and again until <paramref name="limit"/>: a board that rebooted itself (a watchdog) comes back in its
    /// own time. Throws an InfrastructureException saying the board did not come back, with the last error.
    /// </summary>
    public Task<IGuestSession> UntilBackAsync(TimeSpan limit, CancellationToken cancellationToken) => ConnectUntilAsync(limit, true, cancellationToken);

    /// <summary>
    /// A short-lived connection to check on the board (the caller closes it; it does not become <see cref="Live"/>),
    /// or null when none got through within <paramref name="limit"/>.
    /// </summary>
    public async Task<IGuestSession?> ProbeAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectUntilAsync(limit, false, cancellationToken);
        }
        catch (InfrastructureException)
        {
            return null;
        }
    }

    private async Task<IGuestSession> ConnectUntilAsync(TimeSpan limit, bool keep, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        Exception? last = null;
        while (true)
        {
            attempts++;
            var left = limit - clock.Elapsed;
            try
            {
                // At least one attempt, with time enough for a key exchange, however little of the limit is left.
                var timeout = left > AttemptLimit ? AttemptLimit : left > MinAttempt ? left : MinAttempt;
                return keep ? await OpenAsync(timeout, cancellationToken) : await connect(board, timeout, cancellationToken);
            }
            catch (InfrastructureException e)
            {
                last = e;
            }
            left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new InfrastructureException(
                    $"the board {board.Describe} did not come back within {limit.TotalSeconds:F0} s ({attempts} SSH attempt(s); the harness never power-cycles a board). " +
                    $"Last error: {(last?.Message ?? "none").Split('\n')[0]}", last);
            await Task.Delay(left < Pause ? left : Pause, cancellationToken);
        }
    }

    /// <summary><see cref="UntilBackAsync"/>, or null when the board did not answer within <paramref name="limit"/>.</summary>
    public async Task<IGuestSession?> TryReachAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await UntilBackAsync(limit, cancellationToken);
        }
        catch (InfrastructureException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IGuestSession[] opened;
        lock (_opened) opened = _opened.ToArray();
        foreach (var session in opened)
        {
            try
            {
                await session.DisposeAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException or InvalidOperationException)
            {
                // A connection that broke under the run may complain while closing; it is closed either way.
            }
        }
    }
}
