using System.Text;
using System.Text.Json;
using Harness.Cli;
using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Ssh;
using Harness.Tests.Support;
using Harness.Vm;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// Target kind ssh against a "board" that is a separately booted QEMU guest: the harness's own launcher boots
/// the patched x86_64 kernel in an image without the loader (as `harness boot` does), and `harness run --target`
/// is pointed at it on 127.0.0.1 with the image's client key and a known_hosts file holding its host key.
/// The board's console shows dropbear's log, so the tests can see who logged in. The board is stopped at the end.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public partial class BoardEndToEndTests
{
    private const int Minute = 60_000;

    private TempDirectory _temp = null!;
    private QemuVm _board = null!;

    [OneTimeSetUp]
    public async Task BootTheBoard()
    {
        _temp = new TempDirectory();
        var config = CommonOptions.Load(null, ["x86_64"]) with { OutputDirectory = _temp.Combine("board-results") };
        var context = new StageContext(config, ProjectLayout.Locate(), new CacheLayout(config.CacheDirectory), new ProcessRunner(),
            _temp.Combine("board-results", "board"), new ConsoleProgressSink());
        Directory.CreateDirectory(context.LogDirectory);
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        _board = await new GuestLauncher(context).RunAsync(config.Arches[0], RealGuests.Kernel(config.Arches[0]), [], limit.Token);
    }

    [OneTimeTearDown]
    public async Task StopTheBoard()
    {
        var console = _board?.ConsoleLog;
        if (_board is not null) await _board.DisposeAsync();
        _temp.Dispose();
        if (console is not null) Assert.That(ProcessTable.Containing(console), Is.Empty, "the board's QEMU is gone");
    }

    [Test, CancelAfter(3 * Minute)]
    public async Task A_run_on_the_board_gives_the_qemu_guests_verdicts_and_runs_the_loader_there(CancellationToken cancellationToken)
    {
        using var inQemu = new TempDirectory();
        using var onBoard = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey));
        // As ssh(1) keeps it with HashKnownHosts: the host name only as "|1|salt|hash".
        (await RealGuests.Runner.RunAsync(ProcessSpec.Of("ssh-keygen", "-H", "-f", _temp.Combine("known_hosts")), cancellationToken)).EnsureSuccess();
        Assert.That(File.ReadAllLines(_temp.Combine("known_hosts"))[1], Does.StartWith("|1|"));
        var loginsBefore = Logins();

        var qemuExit = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--output", inQemu.Path]);
        var boardExit = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--target", board, "--output", onBoard.Path]);

        var qemuRun = Results(inQemu.Path).GetProperty("runs")[0];
        var boardRun = Results(onBoard.Path).GetProperty("runs")[0];
        var boardLogs = Path.Combine(onBoard.Path, "latest", "logs");
        Assert.Multiple(() =>
        {
            Assert.That((qemuExit, boardExit), Is.EqualTo((ExitCodes.Success, ExitCodes.Success)));
            Assert.That(Verdicts(boardRun), Has.Count.GreaterThanOrEqualTo(25));
            Assert.That(Verdicts(boardRun), Is.EqualTo(Verdicts(qemuRun)), "same programs, same outcomes and verdicts");
            Assert.That(boardRun.GetProperty("target").GetString(), Is.EqualTo($"ssh e2e-board (127.0.0.1:{_board.SshPort})"));
            Assert.That(boardRun.GetProperty("accelerator").GetString(), Is.EqualTo("ssh"));
            Assert.That(qemuRun.TryGetProperty("target", out _), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(onBoard.Path, "latest", "summary.md")),
                Does.Contain($"**x86_64 patched** target: ssh e2e-board (127.0.0.1:{_board.SshPort})"));
            Assert.That(File.ReadAllText(Path.Combine(onBoard.Path, "latest", "report.html")), Does.Contain($"target: ssh e2e-board (127.0.0.1:{_board.SshPort})"));
            // The board run booted nothing (no console log) and logged into the board; the loader's output is the board's.
            Assert.That(Directory.GetFiles(boardLogs, "*console*"), Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(boardLogs, "x86_64-patched-loader.log")), Does.Contain("\"verdict\":"));
            Assert.That(Logins(), Is.GreaterThan(loginsBefore));
        });
        // The board's image has no loader of its own, and the run left nothing behind in its work-dir.
        var left = await _board.Session.RunAsync("ls /usr/bin/harness-loader; ls -A /tmp/harness-board", TimeSpan.FromSeconds(30), cancellationToken);
        Assert.That(left.Stdout.Trim(), Is.Empty, left.Stderr);
    }

    [Test, CancelAfter(2 * Minute)]
    public async Task Only_the_boards_kernel_moves_to_it_and_the_baseline_still_boots_in_qemu(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey));

        var exitCode = await Program.Main(["run", "--arch", "x86_64", "--target", board, "--output", output.Path]);

        var results = Results(output.Path);
        var runs = results.GetProperty("runs").EnumerateArray()
            .ToDictionary(r => r.GetProperty("kernel").GetString()!, r => r.TryGetProperty("target", out var t) ? t.GetString() : r.GetProperty("accelerator").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(runs["patched"], Is.EqualTo($"ssh e2e-board (127.0.0.1:{_board.SshPort})"));
            Assert.That(runs["baseline"], Does.StartWith("kvm").Or.StartWith("tcg"), "the baseline kernel booted in QEMU");
            Assert.That(results.GetProperty("baseline_changes").GetArrayLength(), Is.GreaterThan(0), "the board's verdicts feed the baseline diff");
        });
    }

    [Test, CancelAfter(Minute)]
    public async Task A_wrong_known_hosts_entry_is_refused_before_login_naming_the_host_and_the_file(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlR78RAAuD68ZmmHvm1kxzP0BbImFfXKVFM4u2Edcbb";
        var board = WriteBoard("patched", KnownHostsLine(otherKey));
        var loginsBefore = Logins();

        var (exitCode, stderr) = await RunCapturingStderrAsync(["run", "--arch", "x86_64", "--no-baseline", "--target", board, "--output", output.Path]);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(stderr, Does.Contain($"the SSH host key of 127.0.0.1:{_board.SshPort} is not the one in known_hosts {_temp.Combine("known_hosts")}; refusing to connect"));
            Assert.That(stderr, Does.Contain("presented: " + new HostKeyPin(_board.Endpoint.HostPublicKey).Line));
            Assert.That(Logins(), Is.EqualTo(loginsBefore), "no login on the board");
        });
    }

    [Test, CancelAfter(2 * Minute)]
    public async Task A_board_said_to_run_the_baseline_kernel_while_it_runs_the_patched_one_is_refused_naming_both(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("baseline", KnownHostsLine(_board.Endpoint.HostPublicKey));
        var patched = BuiltKernels.Patched("x86_64");

        var (exitCode, stderr) = await RunCapturingStderrAsync(["run", "--arch", "x86_64", "--target", board, "--output", output.Path]);

        var running = (await _board.Session.RunAsync("cat /proc/version", TimeSpan.FromSeconds(30), cancellationToken)).Stdout.Trim();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(stderr, Does.Contain($"Board e2e-board (127.0.0.1:{_board.SshPort}) does not run the x86_64 baseline kernel the harness built"));
            Assert.That(stderr, Does.Contain($"/proc/version '{running}'"), "names the board's kernel");
            Assert.That(stderr, Does.Match(@"expected: uname -r '6\.12[^']*', banner 'Linux version [^']*#\d+ [^']*' \(from /[^)]*/vmlinux\)"), "names the expected kernel");
            Assert.That(stderr, Does.Not.Contain($"from {patched.Vmlinux}"), "the expected kernel is the baseline build");
        });
    }

    [Test, CancelAfter(Minute)]
    public async Task A_missing_private_key_is_bad_input_naming_the_key(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var board = WriteBoard("patched", KnownHostsLine(_board.Endpoint.HostPublicKey), privateKey: _temp.Combine("no-such-key"));

        var (exitCode, stderr) = await RunCapturingStderrAsync(["run", "--arch", "x86_64", "--no-baseline", "--target", board, "--output", output.Path]);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(stderr, Does.Contain($"'private-key' names the private key file '{_temp.Combine("no-such-key")}', which does not exist."));
            Assert.That(Directory.Exists(Path.Combine(output.Path, "latest")), Is.False, "refused before anything ran");
        });
    }

    /// <summary>A board file for the running guest; its known_hosts (beside it) holds <paramref name="knownHostsLine"/>.</summary>
    private string WriteBoard(string kernel, string knownHostsLine, string? privateKey = null)
    {
        _temp.Write("known_hosts", $"# the board guest\n{knownHostsLine}\n");
        return _temp.Write($"board-{Guid.NewGuid():N}.yaml", $"""
            kind: ssh
            name: e2e-board
            arch: x86_64
            kernel: {kernel}
            host: 127.0.0.1
            port: {_board.SshPort}
            user: root
            private-key: {privateKey ?? _board.Endpoint.PrivateKeyFile}
            known-hosts: known_hosts
            """);
    }

    private string KnownHostsLine(string key) => new HostKeyPin(key).KnownHostsLine("127.0.0.1", _board.SshPort);

    /// <summary>Logins dropbear reported on the board's console so far.</summary>
    private int Logins()
    {
        using var stream = new FileStream(_board.ConsoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n').Count(l => l.Contains("Pubkey auth succeeded", StringComparison.Ordinal));
    }

    private static JsonElement Results(string output) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "latest", "results.json"))).RootElement;

    private static IReadOnlyList<string> Verdicts(JsonElement run) =>
        run.GetProperty("programs").EnumerateArray()
            .Select(p => $"{p.GetProperty("expectation").GetProperty("object").GetString()}:{p.GetProperty("expectation").GetProperty("program").GetString()} " +
                         $"{p.GetProperty("outcome").GetProperty("status").GetString()} " +
                         (p.TryGetProperty("load", out var load) && load.ValueKind == JsonValueKind.Object ? load.GetProperty("verdict").GetString() : "-"))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static async Task<(int ExitCode, string Stderr)> RunCapturingStderrAsync(string[] args)
    {
        var captured = new StringWriter();
        var original = Console.Error;
        Console.SetError(TextWriter.Synchronized(new Tee(original, captured)));
        try
        {
            return (await Program.Main(args), captured.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }

    private sealed class Tee(TextWriter first, TextWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second.Write(value);
        }
    }
}
