using Harness.Errors;
using Harness.Processes;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>What one <see cref="GuestLoads.LoadAsync"/> gave: every result the loader printed, the programs that got a fault instead, and its raw output.</summary>
public sealed record LoadBatch(IReadOnlyList<LoadResult> Results, IReadOnlyDictionary<string, ProgramFault> Faults, IReadOnlyList<LoaderOutputProblem> Problems, string Output);

/// <summary>
/// Runs the in-guest loader over a list of jobs and survives the guest: the jobs go to the target as a file (uploaded
/// over SFTP next to the objects, a new name for every loader command, and <c>--jobs FILE</c>), since SSH refuses a
/// command line of a few hundred programs. The loader's output is read line by line, so when the guest dies, hangs
/// (no new result within the program limit) or reboots, or the loader crashes, the program in flight (the first without a result) gets a <see cref="ProgramFault"/> naming the fault, the
/// guest is rebooted when it is gone or stuck (at most <see cref="GuestLoadSettings.MaxReboots"/> times), and the
/// loader goes on with the programs after it. Owns the current guest; disposing tears it down.
/// </summary>
/// <param name="settings">The loader command and the limits.</param>
/// <param name="boot">Boots guest number N (0 first); called again after a fault took the guest.</param>
/// <param name="progress">Told about every fault and reboot.</param>
/// <param name="held">Told once when the loader stops before <see cref="GuestLoadSettings.HoldBefore"/> (what to do, how to get in); by default <paramref name="progress"/>.</param>
public sealed class GuestLoads(GuestLoadSettings settings, Func<int, CancellationToken, Task<ILoaderGuest>> boot, Action<string> progress, Action<string>? held = null)
    : IAsyncDisposable
{
    /// <summary>How long QEMU may take to exit after the SSH connection broke, for the error to say the guest died.</summary>
    private static readonly TimeSpan DeadGuestGrace = TimeSpan.FromSeconds(2);

    private ILoaderGuest? _guest;
    private int _boots;
    private readonly List<string> _events = [];
    private readonly List<LoadResult> _allResults = [];
    private readonly List<ProgramFault> _allFaults = [];
    private readonly List<ILoaderGuest> _faultedGuests = [];
    private bool _held;
    private int _isolatedBoots;
    private int _jobFiles;

    /// <summary>Boots so far beyond the first, not counting the guests of programs loaded alone.</summary>
    public int Reboots => Math.Max(0, _boots - 1 - _isolatedBoots);

    /// <summary>
    /// Loads one program in a guest of its own (the overlay knows it oopses the kernel): the current guest is shut down
    /// first, a fresh one booted (not counted against the reboots allowed after faults), and the guest it leaves is
    /// killed afterwards, so no result before or after it is lost to its oops.
    /// </summary>
    public async Task<LoadBatch> LoadAloneAsync(LoaderJob program, CancellationToken cancellationToken)
    {
        await DropGuestAsync();
        _isolatedBoots++;
        try
        {
            await GuestAsync(cancellationToken);
        }
        catch (HarnessException e) when (e is not BadInputException && !cancellationToken.IsCancellationRequested)
        {
            _boots++;
            var fault = new ProgramFault($"not loaded: the guest of its own did not boot: {FirstLine(e.Message)}", []);
            _allFaults.Add(fault);
            return new LoadBatch([], new Dictionary<string, ProgramFault> { [program.Key] = fault }, [], "");
        }
        var batch = await LoadAsync([program], cancellationToken);
        if (_guest is { } used) _faultedGuests.Add(used);
        _events.Add($"{program.Key}: loaded in a guest of its own (it is known to oops the kernel)");
        await DropGuestAsync(stuck: true);
        return batch;
    }

    /// <summary>What happened to the guest along the way ("rebooted after x.bpf.o:p hung"), for the run's notes.</summary>
    public IReadOnlyList<string> Events => _events;

    /// <summary>Every result of every batch so far (retries too): the kernel messages that explain console splats.</summary>
    public IReadOnlyList<LoadResult> AllResults { get { lock (_allResults) return _allResults.ToArray(); } }

    /// <summary>Every fault of every batch so far (retries too).</summary>
    public IReadOnlyList<ProgramFault> AllFaults => _allFaults.ToArray();

    /// <summary>Guests torn down after a fault: their consoles' splats are explained by the program in flight.</summary>
    public IReadOnlyList<ILoaderGuest> FaultedGuests => _faultedGuests;

    /// <summary>The guest running now, booting it if there is none (the first boot's failure is the caller's to report).</summary>
    public async Task<ILoaderGuest> GuestAsync(CancellationToken cancellationToken)
    {
        if (_guest is not null) return _guest;
        _guest = await boot(_boots, cancellationToken);
        _boots++;
        return _guest;
    }

    public async Task<LoadBatch> LoadAsync(IReadOnlyList<LoaderJob> programs, CancellationToken cancellationToken)
    {
        var remaining = programs.ToList();
        var results = new List<LoadResult>();
        var problems = new List<LoaderOutputProblem>();
        var faults = new Dictionary<string, ProgramFault>();
        var output = new System.Text.StringBuilder();
        while (remaining.Count > 0)
        {
            if (_guest is null && !await RebootAsync(remaining, faults, cancellationToken)) break;
            var guest = _guest!;
            var attempt = await RunLoaderAsync(guest, remaining, results, problems, output, cancellationToken);
            if (attempt.Finished) break;
            if (attempt.Fault is null)
            {
                // No program was in flight: none is to blame, the guest is replaced (reboots still bound it).
                _events.Add($"{FirstLine(attempt.Why!)}; {Words.Replaced} and the {remaining.Count} program(s) left {Words.GoOn}");
                progress(FirstLine(attempt.Why!));
                await DropGuestAsync();
                continue;
            }
            var inFlight = remaining[0];
            remaining.RemoveAt(0);
            faults[inFlight.Key] = attempt.Fault!;
            progress($"{inFlight.Key}: {attempt.Fault!.Reason}");
            if (!attempt.GuestGone) continue;
            _events.Add($"{inFlight.Key}: {FirstLine(attempt.Fault.Reason)}; {Words.Replaced}" + (remaining.Count > 0 ? $" and {remaining.Count} program(s) after it {Words.GoOn}" : ""));
            _faultedGuests.Add(guest);
            await DropGuestAsync(attempt.Stuck);
        }
        lock (_allResults) _allResults.AddRange(results);
        _allFaults.AddRange(faults.Values);
        return new LoadBatch(results, faults, problems, output.ToString());
    }

    /// <summary>One loader command over <paramref name="remaining"/>, removing every program it printed a result for.</summary>
    private async Task<Attempt> RunLoaderAsync(ILoaderGuest guest, List<LoaderJob> remaining, List<LoadResult> results,
        List<LoaderOutputProblem> problems, System.Text.StringBuilder output, CancellationToken cancellationToken)
    {
        // The loader stops before the held program once per kernel: not again on a retry or after a reboot.
        var hold = !_held && settings.HoldBefore is { } heldProgram && remaining.Any(p => p.Key == heldProgram) ? " --hold-before " + ShellQuoting.Quote(heldProgram) : "";
        var jobFile = JobFilePath(remaining);
        var command = settings.LoaderCommand + hold + " --jobs " + ShellQuoting.Quote(jobFile);
        var gate = new object();
        var lastProgress = DateTime.UtcNow;
        using var hung = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchdog = WatchAsync(() => { lock (gate) return lastProgress; }, hung);
        void OnLine(string line)
        {
            lock (gate)
            {
                lastProgress = DateTime.UtcNow;
                output.Append(line).Append('\n');
                if (line.Trim().Length == 0) return;
                if (LoaderOutputParser.IsNote(line))
                {
                    if (line.StartsWith(LoaderOutputParser.HeldNote, StringComparison.Ordinal) && !_held)
                    {
                        _held = true;
                        (held ?? progress)($"{line[2..]}; a shell there: {guest.HowToReach}");
                    }
                    return;
                }
                try
                {
                    var result = LoaderOutputParser.ParseLine(line);
                    results.Add(result);
                    var done = remaining.FindIndex(p => p.Key == result.Key);
                    if (done >= 0) remaining.RemoveAt(done);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
                {
                    problems.Add(new LoaderOutputProblem(problems.Count + 1, line.Length <= 200 ? line : line[..200] + "...", e.Message));
                }
            }
        }

        // The whole command's limit is a backstop: the watchdog catches a stuck program long before.
        var limit = settings.ProgramLimit * (remaining.Count + 2);
        try
        {
            try
            {
                await UploadJobsAsync(guest, remaining, jobFile, hung.Token);
            }
            catch (HarnessException e) when (e is not BadInputException && !cancellationToken.IsCancellationRequested)
            {
                ThrowIfInterrupted(await guest.ExitsWithinAsync(DeadGuestGrace), cancellationToken);
                return new Attempt(false, true, null, Why: $"uploading the job file to {Words.Machine} failed: {e.Message}");
            }
            var ran = await guest.Session.RunStreamingAsync(command, limit, OnLine, hung.Token);
            lock (gate) output.Append(ran.Stderr);
            lock (gate)
                if (ran.ExitCode == 0 || remaining.Count == 0) return Attempt.Done;
            var gone = await guest.ExitsWithinAsync(DeadGuestGrace);
            ThrowIfInterrupted(gone, cancellationToken);
            var how = $"the loader crashed while loading it (exit {ran.ExitCode}{(ran.Stderr.Trim().Length > 0 ? ": " + Tail(ran.Stderr) : "")})";
            return new Attempt(false, gone, new ProgramFault(gone ? $"{how}; {Words.Machine} died too ({guest.HowItDied})" : how, gone ? guest.ConsoleEvidence(60) : []));
        }
        catch (OperationCanceledException) when (hung.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var stopped = await guest.StopHungAsync(cancellationToken);
            return new Attempt(false, true, new ProgramFault(
                $"no result within {settings.ProgramLimit.TotalSeconds:F0} s (timeouts: program, plus a grace for the loader's own limit): {Words.Machine} or the loader hung; {stopped}",
                guest.ConsoleEvidence(20)), Stuck: true);
        }
        catch (HarnessException e) when (e is not BadInputException && !cancellationToken.IsCancellationRequested)
        {
            var died = await guest.ExitsWithinAsync(DeadGuestGrace);
            ThrowIfInterrupted(true, cancellationToken);
            var reason = died ? $"{Words.Machine} died while loading it ({guest.HowItDied})" : $"the SSH connection broke while loading it: {e.Message}";
            return new Attempt(false, true, new ProgramFault(reason, guest.ConsoleEvidence(died ? 60 : 20)));
        }
        finally
        {
            await hung.CancelAsync();
            await watchdog;
        }
    }

    /// <summary>Where the next job file goes: beside the objects of the first job (the guest's directory, a board's run directory), a new name each time.</summary>
    private string JobFilePath(IReadOnlyList<LoaderJob> jobs)
    {
        var objects = jobs[0].ObjectPath;
        var slash = objects.LastIndexOf('/');
        return $"{(slash > 0 ? objects[..slash] : ".")}/harness-jobs-{++_jobFiles}.txt";
    }

    /// <summary>Writes the job file locally (a temp directory a forced exit removes too), uploads it, and deletes the local copy, whatever happens.</summary>
    private static async Task UploadJobsAsync(ILoaderGuest guest, IReadOnlyList<LoaderJob> jobs, string remotePath, CancellationToken cancellationToken)
    {
        var directory = ChildProcesses.CreateTempDirectory("harness-jobs-");
        ChildProcesses.RegisterTempDirectory(directory.FullName);
        try
        {
            var local = Path.Combine(directory.FullName, Path.GetFileName(remotePath));
            await File.WriteAllTextAsync(local, LoaderJob.File(jobs), cancellationToken);
            await guest.Session.UploadAsync(local, remotePath, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
            ChildProcesses.UnregisterTempDirectory(directory.FullName);
        }
    }

    /// <summary>
    /// Ctrl-C in a terminal kills QEMU and the loader at the moment the token is cancelled, so their failure can come
    /// first: before it becomes a fault (and a reboot), the signal gets its moment to arrive, and an interrupt wins.
    /// </summary>
    private static void ThrowIfInterrupted(bool somethingDied, CancellationToken cancellationToken)
    {
        if (somethingDied && Interrupts.Arrived(cancellationToken)) throw new OperationCanceledException("interrupted", cancellationToken);
    }

    /// <summary>Cancels <paramref name="hung"/> when no line came for the program limit; ends when it is cancelled.</summary>
    private async Task WatchAsync(Func<DateTime> lastProgress, CancellationTokenSource hung)
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(settings.ProgramLimit.TotalMilliseconds / 10, 20, 500));
        try
        {
            while (!hung.IsCancellationRequested)
            {
                await Task.Delay(tick, hung.Token);
                if (DateTime.UtcNow - lastProgress() > settings.ProgramLimit) await hung.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Boots a fresh guest for the programs left; false (and every one of them a fault) when that is not allowed or fails.</summary>
    private async Task<bool> RebootAsync(List<LoaderJob> remaining, Dictionary<string, ProgramFault> faults, CancellationToken cancellationToken)
    {
        string? why = null;
        if (_boots - _isolatedBoots > settings.MaxReboots)
            why = $"not loaded: {Words.Machine} was already {Words.Redone} {settings.MaxReboots} time(s) after faults (reboots: in the run config)";
        else
        {
            try
            {
                progress($"{Words.Replacing} for the {remaining.Count} program(s) left ({Words.Replacement} {_boots} of at most {settings.MaxReboots})");
                await GuestAsync(cancellationToken);
                return true;
            }
            catch (HarnessException e) when (e is not BadInputException && !cancellationToken.IsCancellationRequested)
            {
                _boots++;
                why = $"not loaded: the reboot after a fault failed: {FirstLine(e.Message)}";
            }
        }
        foreach (var p in remaining) faults[p.Key] = new ProgramFault(why, []);
        remaining.Clear();
        return false;
    }

    /// <summary>Tears the current guest down; a <paramref name="stuck"/> one is killed rather than asked to power off.</summary>
    private async Task DropGuestAsync(bool stuck = false)
    {
        var guest = _guest;
        _guest = null;
        if (guest is null) return;
        if (stuck) await guest.KillAsync();
        else await guest.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(DropGuestAsync());

    private GuestWords Words => settings.Words;

    private static string FirstLine(string text) => text.Split('\n')[0];

    private static string Tail(string text) => string.Join(" / ", text.Trim().Split('\n').TakeLast(3));

    /// <summary>How one loader command ended; no <see cref="Fault"/> when it never started (<see cref="Why"/> says why).</summary>
    private sealed record Attempt(bool Finished, bool GuestGone, ProgramFault? Fault, bool Stuck = false, string? Why = null)
    {
        public static Attempt Done { get; } = new(true, false, null);
    }
}
