using System.Diagnostics;
using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>`bin/harness boot --arch x86_64 --kernel LINK` with TMPDIR in the scratch directory.</summary>
internal sealed class BootRun
{
    private readonly ScratchConfig _scratch;
    private readonly List<string> _lines = [];

    private BootRun(ScratchConfig scratch, CancellationToken cancellationToken, bool defaultSigint)
    {
        _scratch = scratch;
        var kernel = scratch.File("bzImage");
        File.CreateSymbolicLink(kernel, BuiltKernels.Patched("x86_64").Image);
        string[] arguments = [HarnessCli.Binary, "boot", "--arch", "x86_64", "--kernel", kernel];
        // A test host started without job control ignores SIGINT, and children inherit that: python3 restores the
        // default, then execs the harness in place (same pid).
        var spec = defaultSigint
            ? new ProcessSpec("python3", ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. arguments])
            : new ProcessSpec(arguments[0], arguments[1..]);
        Process = new ProcessRunner().RunAsync(spec with
        {
            Environment = new Dictionary<string, string?> { ["TMPDIR"] = scratch.Temp },
            Timeout = TimeSpan.FromMinutes(4),
            OnOutputLine = line => { lock (_lines) _lines.Add(line); },
        }, cancellationToken);
    }

    public Task<ProcessResult> Process { get; }

    /// <summary>The ssh command line `boot` prints once the guest is ready.</summary>
    public string? SshCommand
    {
        get { lock (_lines) return _lines.FirstOrDefault(l => l.StartsWith("ssh -i ", StringComparison.Ordinal)); }
    }

    public static BootRun Start(ScratchConfig scratch, CancellationToken cancellationToken, bool defaultSigint = false) =>
        new(scratch, cancellationToken, defaultSigint);

    public IReadOnlyList<(int Pid, string CommandLine)> Qemu() =>
        ProcessTable.Find(_scratch.Root).Where(p => p.CommandLine.Contains("qemu-system-", StringComparison.Ordinal)).ToArray();

    private int HarnessPid()
    {
        var harness = ProcessTable.Find(_scratch.Root).Where(p => p.CommandLine.Contains(" boot --arch ", StringComparison.Ordinal)).ToArray();
        Assert.That(harness, Has.Length.EqualTo(1), "the harness process, found by its --kernel");
        return harness[0].Pid;
    }

    public void KillHarness()
    {
        using var process = System.Diagnostics.Process.GetProcessById(HarnessPid());
        process.Kill(); // SIGKILL, the harness itself only
    }

    public void Signal(string signal) =>
        new ProcessRunner().RunAsync(ProcessSpec.Of("kill", signal, HarnessPid().ToString()), CancellationToken.None).GetAwaiter().GetResult();

    public async Task<bool> WaitForAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (Process.IsCompleted) Assert.Fail($"the harness ended before {what}: {(await Process).Transcript()}");
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) Assert.Fail($"no {what} within 3 minutes:\n{string.Join('\n', _lines)}");
            await Task.Delay(100, cancellationToken);
        }
        return true;
    }

    /// <summary>Processes of the run still alive after up to <paramref name="time"/> (polled: they may take a moment to die).</summary>
    public async Task<IReadOnlyList<string>> LeftAfterAsync(TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (ProcessTable.Containing(_scratch.Root).Count > 0 && clock.Elapsed < time) await Task.Delay(100);
        return ProcessTable.Containing(_scratch.Root);
    }
}
