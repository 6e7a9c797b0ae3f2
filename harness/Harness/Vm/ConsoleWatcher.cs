using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Vm;

/// <summary>What a console line tells about the boot.</summary>
public enum ConsoleSignal
{
    /// <summary>"Linux version ...": the kernel is running.</summary>
    KernelStarted,

    /// <summary>"Run /init as init process": the kernel handed over to the initramfs.</summary>
    InitStarted,

    /// <summary>The init printed <see cref="ConsoleWatcher.ReadyMarker"/>: dropbear listens.</summary>
    GuestReady,

    /// <summary>A panic, oops, BUG, WARNING, KASAN report or fault: the kernel is broken.</summary>
    KernelFailure,

    /// <summary>QEMU itself complained ("qemu-system-x86_64: ..."), usually just before it exits.</summary>
    QemuMessage,
}

/// <summary>One meaningful console line, with the kernel's own timestamp when printk.time is on.</summary>
public sealed record ConsoleEvent(ConsoleSignal Signal, string Line, TimeSpan? KernelTime);

/// <summary>
/// Reads the serial console line by line and says what each line means; keeps the last lines for error
/// messages. Pure (no clock, no I/O): fed from QEMU's output live, and from captured consoles in tests.
/// </summary>
public sealed partial class ConsoleWatcher(int tailLines = 60)
{
    /// <summary>Printed by vm-images/init once dropbear listens on :22.</summary>
    public const string ReadyMarker = "HARNESS-GUEST-READY";

    private static readonly string[] FailureMarkers =
    [
        "Kernel panic - not syncing", "Internal error: Oops", "Oops:", "BUG:", "WARNING:", "KASAN:",
        "Unable to handle kernel", "general protection fault",
    ];

    private readonly object _gate = new();
    private readonly Queue<string> _tail = new();
    private readonly List<ConsoleEvent> _failures = [];

    [GeneratedRegex(@"^\[\s*(?<s>\d+\.\d+)\]")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^qemu-system-[\w-]+: ")]
    private static partial Regex QemuPrefix();

    /// <summary>Kernel failures seen so far (also after boot: splats while tests run).</summary>
    public IReadOnlyList<ConsoleEvent> Failures { get { lock (_gate) return _failures.ToArray(); } }

    public IReadOnlyList<string> Tail(int count = 40)
    {
        lock (_gate) return _tail.TakeLast(count).ToArray();
    }

    public ConsoleEvent? Feed(string rawLine)
    {
        var line = rawLine.TrimEnd('\r', '\n');
        var signal = Classify(line);
        var result = signal is null ? null : new ConsoleEvent(signal.Value, line, KernelTimestamp(line));
        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > tailLines) _tail.Dequeue();
            if (result is { Signal: ConsoleSignal.KernelFailure }) _failures.Add(result);
        }
        return result;
    }

    /// <summary>The "[    1.234567]" printk timestamp at the start of a line, if any.</summary>
    public static TimeSpan? KernelTimestamp(string line)
    {
        var m = Timestamp().Match(line);
        return m.Success ? TimeSpan.FromSeconds(double.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>Whether a console or kernel-log line starts a panic, oops, BUG, WARNING, KASAN report or fault.</summary>
    public static bool IsKernelFailure(string line) => FailureMarkers.Any(m => line.Contains(m, StringComparison.Ordinal));

    private static ConsoleSignal? Classify(string line)
    {
        if (line.Contains(ReadyMarker, StringComparison.Ordinal)) return ConsoleSignal.GuestReady;
        if (QemuPrefix().IsMatch(line)) return ConsoleSignal.QemuMessage;
        if (FailureMarkers.Any(m => line.Contains(m, StringComparison.Ordinal))) return ConsoleSignal.KernelFailure;
        if (line.Contains("Linux version ", StringComparison.Ordinal)) return ConsoleSignal.KernelStarted;
        if (line.Contains("Run /init as init process", StringComparison.Ordinal)) return ConsoleSignal.InitStarted;
        return null;
    }
}
