using Harness.Errors;
using Harness.Run;
using Harness.Ssh;
using Harness.Tests.Support;

namespace Harness.Tests.Run;

/// <summary>What a fake guest does when the loader runs in it: print results for some programs, then end somehow.</summary>
internal enum LoaderEnding
{
    /// <summary>Every program's line, exit 0.</summary>
    Finishes,

    /// <summary>After the given lines the guest dies: QEMU exits and SSH breaks.</summary>
    GuestDies,

    /// <summary>After the given lines nothing more comes until the command is cancelled.</summary>
    Hangs,

    /// <summary>After the given lines the loader exits with a signal (-1) and the guest stays up.</summary>
    LoaderCrashes,
}

/// <summary>
/// A guest whose loader prints a line per job of its --jobs file (verdict from <see cref="Verdict"/>), <paramref name="linesBeforeEnding"/>
/// of them, then ends as <paramref name="ending"/> says (once; a rebooted guest gets the next script). Records every loader command.
/// </summary>
internal sealed class FakeLoaderGuest(LoaderEnding ending, int linesBeforeEnding, Func<string, int, string>? verdict = null) : ILoaderGuest, IGuestSession
{
    private int _loads;

    public List<string> Commands { get; } = [];

    /// <summary>The jobs of every loader command, in order.</summary>
    public List<IReadOnlyList<LoaderJob>> Jobs { get; } = [];

    /// <summary>The job files uploaded.</summary>
    public UploadedJobFiles JobFiles { get; } = new();
    public bool Dead { get; private set; }
    public bool Disposed { get; private set; }

    /// <summary>Torn down as stuck (<see cref="ILoaderGuest.KillAsync"/>), not asked to power off.</summary>
    public bool Killed { get; private set; }

    /// <summary>With --hold-before, how long the loader stays held (printing "#" notes) before the held program's line.</summary>
    public TimeSpan HeldFor { get; init; }

    public string HowToReach => "ssh -p 2222 root@127.0.0.1";

    /// <summary>"accept" by default; (key, attempt) → verdict to make a program flaky.</summary>
    public Func<string, int, string> Verdict { get; } = verdict ?? ((_, _) => "accept");

    public IGuestSession Session => this;
    public Task<bool> ExitsWithinAsync(TimeSpan time) => Task.FromResult(Dead);
    public string HowItDied => "QEMU exited after \"Kernel panic - not syncing: Fatal exception\"";
    public IReadOnlyList<string> ConsoleEvidence(int lines) => ["[ 9.1] Kernel panic - not syncing: Fatal exception"];

    public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new CommandResult(0, "", ""));

    public async Task<CommandResult> RunStreamingAsync(string command, TimeSpan timeout, Action<string> onLine, CancellationToken cancellationToken)
    {
        Commands.Add(command);
        var attempt = ++_loads;
        var programs = JobFiles.Of(command);
        Jobs.Add(programs);
        var printed = ending == LoaderEnding.Finishes || attempt > 1 ? programs.Count : Math.Min(linesBeforeEnding, programs.Count);
        var words = command.Split(' ');
        var held = words.SkipWhile(w => w != "--hold-before").Skip(1).FirstOrDefault();
        for (var i = 0; i < programs.Count; i++)
        {
            if (programs[i].Key == held) await HoldAsync(held, onLine, cancellationToken);
            if (i == printed) break; // the program in flight: the ending comes now
            onLine(Line(programs[i].Key, Verdict(programs[i].Key, attempt)));
        }
        if (printed == programs.Count) return new CommandResult(0, "", "");
        switch (ending)
        {
            case LoaderEnding.GuestDies:
                Dead = true;
                throw new InfrastructureException($"Guest command failed: the SSH connection to 127.0.0.1:2222 broke (reset): {command}");
            case LoaderEnding.Hangs:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            default:
                return new CommandResult(-1, "", "Segmentation fault");
        }
    }

    private async Task HoldAsync(string key, Action<string> onLine, CancellationToken cancellationToken)
    {
        onLine($"# held before {key}: remove /tmp/harness-hold in the guest to go on");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < HeldFor)
        {
            await Task.Delay(50, cancellationToken);
            onLine($"# still held before {key}");
        }
    }

    public static string Line(string key, string verdict)
    {
        var (obj, program) = (key.Split(':')[0], key.Split(':')[1]);
        var errno = verdict == "reject" ? 13 : 0;
        var log = verdict == "reject" ? "0: R1 !read_ok\\nprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\\n" : "processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\\n";
        return $$"""{"object":"{{obj}}","program":"{{program}}","section":"tc","verdict":"{{verdict}}","errno":{{errno}},"error":"","insns_processed":3,"peak_states":0,"total_states":0,"max_states_per_insn":0,"verify_usec":10,"log":"{{log}}","kmsg":""}""";
    }

    /// <summary>Uploads fail as over a broken connection (after the content was read).</summary>
    public bool UploadsFail { get; init; }

    public Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
    {
        JobFiles.Uploaded(localPath, remotePath);
        if (UploadsFail)
        {
            Dead = true;
            throw new InfrastructureException("SFTP upload failed: the connection to 127.0.0.1:2222 broke");
        }
        return Task.CompletedTask;
    }
    public Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask KillAsync()
    {
        Killed = true;
        return DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        Dead = true;
        return ValueTask.CompletedTask;
    }
}
