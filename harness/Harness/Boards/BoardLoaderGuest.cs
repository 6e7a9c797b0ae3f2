using Harness.Errors;
using Harness.Processes;
using Harness.Run;
using Harness.Ssh;
using Harness.Vm;

namespace Harness.Boards;

/// <summary>
/// A board as the guest <see cref="GuestLoads"/> runs the loader in. The harness cannot watch a board die (no console)
/// nor reboot it, so a board is gone when no new SSH connection gets through within <paramref name="reachLimit"/>; when
/// one does, the board's kernel log (dmesg) read over it stands in for the console's evidence (that probe is closed
/// right after). The loader's session belongs to <paramref name="sessions"/>: dropping this guest after a fault closes
/// nothing (the run closes them all at its end).
/// </summary>
public sealed class BoardLoaderGuest(IGuestSession session, BoardSessions sessions, BoardRunDirectory runDirectory, TimeSpan reachLimit) : ILoaderGuest
{
    /// <summary>How long reading the kernel log or killing a leftover loader may take.</summary>
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(20);

    private IReadOnlyList<string> _evidence = [$"{NoConsole}; its kernel log was not read"];
    private TimeSpan? _waited;

    /// <summary>The first line of a board's evidence: where the lines come from, since it is not a console.</summary>
    public static string NoConsole => "(a board has no console the harness reads)";

    private string BoardName => sessions.Board.Name;

    public IGuestSession Session => session;

    /// <summary>Gone when a new SSH connection does not get through within the reach limit (or <paramref name="time"/>, if longer).</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan time)
    {
        var waited = time > reachLimit ? time : reachLimit;
        _waited = waited;
        // No token here (the interface has none): the wait is bounded, and GuestLoads checks for Ctrl-C right after.
        using var limit = new CancellationTokenSource(waited + CommandLimit * 2);
        await using var probe = await ReachAsync(waited, limit.Token, CancellationToken.None);
        if (probe is null)
        {
            _evidence = [Unread];
            return true;
        }
        _evidence = await KernelLogTailAsync(probe, limit.Token, CancellationToken.None);
        return false;
    }

    public string HowItDied =>
        $"{BoardName} did not answer a new SSH connection within {(_waited ?? reachLimit).TotalSeconds:F0} s: it crashed, hung, rebooted or lost its network";

    /// <summary>Kills the hung loader over a new connection (the board is never rebooted) and reads the board's kernel log.</summary>
    public async Task<string> StopHungAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(reachLimit + CommandLimit * 2);
        await using var probe = await ReachAsync(reachLimit, limit.Token, cancellationToken);
        if (probe is null)
        {
            _evidence = [Unread];
            return $"{BoardName} did not answer a new SSH connection within {reachLimit.TotalSeconds:F0} s either (the harness never reboots a board)";
        }
        try
        {
            await probe.RunAsync(runDirectory.KillLeftoverLoader, CommandLimit, limit.Token);
        }
        catch (Exception e) when (e is HarnessException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"killing the loader on {BoardName} failed ({e.Message.Split('\n')[0]})";
        }
        _evidence = await KernelLogTailAsync(probe, limit.Token, cancellationToken);
        return $"the loader on {BoardName} was killed (the harness never reboots a board)";
    }

    /// <summary>ssh(1) into the board as the harness logs in (its key; its known_hosts file when it has one), for a held loader.</summary>
    public string HowToReach
    {
        get
        {
            var board = sessions.Board;
            var knownHosts = board.HostKeys.Source.StartsWith(KnownHostsSource, StringComparison.Ordinal)
                ? new[] { "-o", $"UserKnownHostsFile={board.HostKeys.Source[KnownHostsSource.Length..]}", "-o", "StrictHostKeyChecking=yes" }
                : [];
            return string.Join(' ', new[] { "ssh", "-i", board.PrivateKeyFile, "-p", board.Port.ToString(), "-o", "IdentitiesOnly=yes" }
                .Concat(knownHosts).Append($"{board.User}@{board.Host}").Select(ShellQuoting.Quote));
        }
    }

    /// <summary>How <see cref="BoardHostKeys.Source"/> names a known_hosts file.</summary>
    private const string KnownHostsSource = "known_hosts ";

    public IReadOnlyList<string> ConsoleEvidence(int lines) =>
        _evidence.Count <= lines ? _evidence : [_evidence[0], .. _evidence.Skip(1).Take(lines - 1)];

    /// <summary>Nothing to tear down: the sessions are the run's, and the board stays as it is.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string Unread => $"{NoConsole}; {BoardName} did not answer a new SSH connection, so its kernel log could not be read";

    /// <summary>A new connection, or null when none got through before <paramref name="limit"/>; Ctrl-C (<paramref name="run"/>) is an abort.</summary>
    private async Task<IGuestSession?> ReachAsync(TimeSpan time, CancellationToken limit, CancellationToken run)
    {
        try
        {
            return await sessions.ProbeAsync(time, limit);
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The kernel log's last lines, from the first kernel failure among them on (as a console's evidence), after a line saying where they come from.</summary>
    private async Task<IReadOnlyList<string>> KernelLogTailAsync(IGuestSession probe, CancellationToken limit, CancellationToken run)
    {
        try
        {
            var log = await probe.RunAsync("dmesg | tail -n 60", CommandLimit, limit);
            var tail = log.Stdout.TrimEnd('\n').Split('\n');
            if (log.ExitCode != 0 || log.Stdout.Trim().Length == 0)
                return [$"{NoConsole}; its kernel log could not be read: {log.Stderr.Trim().Split('\n')[0]}"];
            var first = Array.FindIndex(tail, ConsoleWatcher.IsKernelFailure);
            return [$"{NoConsole}; the kernel log of {BoardName} (dmesg) read over a new SSH connection:", .. tail.Skip(first < 0 ? Math.Max(0, tail.Length - 20) : first)];
        }
        catch (Exception e) when (e is HarnessException || e is OperationCanceledException && !run.IsCancellationRequested)
        {
            return [$"{NoConsole}; its kernel log could not be read: {e.Message.Split('\n')[0]}"];
        }
    }
}
