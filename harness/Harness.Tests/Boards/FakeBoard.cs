using System.Text.Json;
using Harness.Boards;
using Harness.Build;
using Harness.Errors;
using Harness.Reports;
using Harness.Run;
using Harness.Selftests;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Verdicts;

namespace Harness.Tests.Boards;

/// <summary>
/// A board over every SSH connection the board stage opens (the boundary): it answers like the harness guest, keeps a
/// kernel log the loader's kmsg lands in, and its loader does per program what <see cref="Script"/> says (by the
/// program's key and attempt): "accept"/"reject" print a result ("+oops" adds a kernel BUG to its kmsg and the log),
/// "held" prints the loader's hold note first, "crash" ends the loader with SIGSEGV, "hang" prints nothing more, "break" breaks the connection, "gone" breaks
/// it and the board answers no connection any more. <see cref="Respond"/> overrides any other command's answer.
/// </summary>
internal sealed class FakeBoard : IGuestSession
{
    public const string Banner = "Linux version 6.12.117+ (root@vm) (gcc (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #2 Wed Nov 25 03:18:53 UTC 2026";
    public const string RunDirectory = "/tmp/harness-board/run-Ab12Cd";
    public const string Oops = "BUG: kernel NULL pointer dereference, address: 0000000000000008";

    private readonly Dictionary<string, int> _attempts = [];
    private readonly List<string> _kernelLog = ["[    1.000000] boot"];

    public List<string> Commands { get; } = [];
    public List<string> Uploads { get; } = [];

    /// <summary>The job files uploaded, and the jobs of every loader command in order.</summary>
    public UploadedJobFiles JobFiles { get; } = new();

    public List<IReadOnlyList<LoaderJob>> Jobs { get; } = [];
    public Func<string, CommandResult?> Respond { get; set; } = _ => null;
    public Func<string, int, string> Script { get; set; } = (_, _) => "accept";

    /// <summary>Connections opened so far (the stage's first, probes after faults, reconnections).</summary>
    public int Connects { get; private set; }

    /// <summary>No connection gets through, and commands on an open one fail.</summary>
    public bool Down { get; set; }

    /// <summary>Connections are refused until then (a board rebooting), and get through again after.</summary>
    public DateTime RefuseUntil { get; set; }

    public Task<IGuestSession> ConnectAsync(BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Down || DateTime.UtcNow < RefuseUntil)
            throw new InfrastructureException($"Board {board.Name}: cannot reach the SSH server at {board.Host}:{board.Port} (Connection refused).");
        Connects++;
        return Task.FromResult<IGuestSession>(this);
    }

    public Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (Commands) Commands.Add(command);
        if (Down) throw new InfrastructureException($"Guest command failed: the SSH connection to 127.0.0.1:2222 broke (Connection reset): {command}");
        return Task.FromResult(Respond(command) ?? Default(command));
    }

    public async Task<CommandResult> RunStreamingAsync(string command, TimeSpan timeout, Action<string> onLine, CancellationToken cancellationToken)
    {
        if (!command.Contains("/harness-loader", StringComparison.Ordinal)) return await RunAsync(command, timeout, cancellationToken);
        lock (Commands) Commands.Add(command);
        var programs = JobFiles.Of(command);
        lock (Commands) Jobs.Add(programs);
        foreach (var program in programs)
        {
            var attempt = _attempts[program.Key] = _attempts.GetValueOrDefault(program.Key) + 1;
            var act = Script(program.Key, attempt);
            switch (act)
            {
                case "crash":
                    return new CommandResult(-1, "", "killed by SIGSEGV");
                case "hang":
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                case "break" or "gone":
                    Down = act == "gone";
                    throw new InfrastructureException($"Guest command failed: the SSH connection to 127.0.0.1:2222 broke (Connection reset): {command}");
                case "held":
                    onLine($"{Harness.Verdicts.LoaderOutputParser.HeldNote}{program.Key} (pid 42): rm /tmp/harness-hold to go on");
                    onLine(Line(program.Key, "accept"));
                    break;
                default:
                    var kmsg = act.EndsWith("+oops", StringComparison.Ordinal) ? $"{Oops}\nCall Trace:\n print_reg_state+0x1c/0x90\n" : "";
                    foreach (var line in kmsg.TrimEnd('\n').Split('\n').Where(l => l.Length > 0)) _kernelLog.Add($"[    9.{_kernelLog.Count:D6}] {line}");
                    onLine(Line(program.Key, act.Split('+')[0], kmsg));
                    break;
            }
        }
        return new CommandResult(0, "", "");
    }

    private CommandResult Default(string command) => command switch
    {
        "uname -r" => new(0, "6.12.117+\n", ""),
        "cat /proc/version" => new(0, Banner + "\n", ""),
        "dmesg" => new(0, string.Join('\n', _kernelLog) + "\n", ""),
        "dmesg | tail -n 60" => new(0, string.Join('\n', _kernelLog.TakeLast(60)) + "\n", ""),
        _ when command.Contains("mktemp -d", StringComparison.Ordinal) => new(0, RunDirectory + "\n", ""),
        _ => new(0, "", ""),
    };

    public static string Line(string key, string verdict, string kmsg = "") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["object"] = key.Split(':')[0], ["program"] = key.Split(':')[1], ["section"] = "tc", ["verdict"] = verdict,
        ["errno"] = verdict == "reject" ? 13 : 0, ["error"] = "", ["insns_processed"] = 3, ["peak_states"] = 1, ["total_states"] = 1,
        ["max_states_per_insn"] = 0, ["verify_usec"] = 10,
        ["log"] = verdict == "reject" ? "0: R1 !read_ok\nprocessed 3 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 0\n" : "",
        ["kmsg"] = kmsg,
    });

    public Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
    {
        if (Down) throw new InfrastructureException("SFTP upload failed: the connection broke");
        // Job files are kept apart (JobFiles): Uploads is what the board stage itself sends.
        if (Path.GetFileName(remotePath).StartsWith("harness-jobs-", StringComparison.Ordinal)) JobFiles.Uploaded(localPath, remotePath);
        else lock (Uploads) Uploads.Add($"{localPath} -> {remotePath}");
        return Task.CompletedTask;
    }

    public Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Runs the board stage on <paramref name="board"/> for programs a.bpf.o:p1..pN (all expected to load), the loader
    /// and object written under <paramref name="temp"/>; <paramref name="configure"/> adjusts the run config.
    /// </summary>
    public static async Task<ArchRun> RunStageAsync(TempDirectory temp, FakeBoard board, CancellationToken cancellationToken, int programs = 1,
        Func<Harness.Config.RunConfig, Harness.Config.RunConfig>? configure = null, TimeSpan? reachLimit = null, RecordingProgress? progress = null)
    {
        var arch = Checkout.Arch("x86_64");
        var config = TestContexts.Config(temp, arch);
        var context = TestContexts.Create(configure is null ? config : configure(config), progress);
        Directory.CreateDirectory(context.LogDirectory);
        var vmlinux = temp.Write("vmlinux", "\0\0Linux version 6.12.117+ (root@vm) (gcc) # SMP \0" + Banner + "\n\0tail");
        var loader = temp.Write("harness-loader", "ELF");
        var obj = temp.Write("a.bpf.o", "ELF");
        var kernel = new KernelArtifacts("x86_64", "patched", temp.Combine("bzImage"), vmlinux, temp.Combine(".config"), "k", true, TimeSpan.Zero);
        var expectations = Enumerable.Range(1, programs)
            .Select(i => new ProgramExpectation { Object = "a.bpf.o", Program = programs == 1 ? "p_ok" : $"p{i}", Section = "tc", Verdict = ExpectedVerdict.Success, HasExpectations = true })
            .ToArray();
        var request = new GuestTestRequest(arch, KernelRole.Patched, kernel, new GuestTools("x86_64", loader),
            new CompiledSelftests("x86_64", "key", temp.Path, [obj]), expectations, ExpectationOverlay.Empty, []);
        var target = new BoardTarget("rock-1", arch, KernelRole.Patched, "127.0.0.1", 2222, "root", temp.Combine("id"),
            new BoardHostKeys(["ssh-ed25519 AAAA"], "known_hosts /k"), "/tmp/harness-board", "board.yaml:1:1");
        return await BoardTestStage.RunAsync(context, target, request, cancellationToken, board.ConnectAsync, reachLimit ?? TimeSpan.FromMilliseconds(200));
    }
}
