using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// A <see cref="ScratchConfig"/> that is also a Harness checkout as the CLI finds it (a Harness.sln beside configs/arch/
/// holding copies of the real arch files): the CLI run from its root reads these arch files, so a test can break one
/// without touching the real checkout.
/// </summary>
public sealed class ScratchCheckout : IDisposable
{
    public ScratchCheckout()
    {
        Config.WriteFile("Harness.sln", "");
        foreach (var file in Directory.GetFiles(Checkout.Layout.ArchDirectory, "*.yaml"))
            Config.WriteFile(Path.Combine("configs", "arch", Path.GetFileName(file)), File.ReadAllText(file));
    }

    /// <summary>The run config (absolute paths into the real checkout; empty cache and output of its own).</summary>
    public ScratchConfig Config { get; } = new();

    public string ArchDirectory => Config.File("configs", "arch");

    public string ArchFile(string arch, string extension = ".yaml") => Path.Combine(ArchDirectory, arch + extension);

    /// <summary>
    /// Puts <paramref name="replacement"/> (lines, or nothing to delete it) in place of the one line of
    /// <paramref name="arch"/>'s file that starts with <paramref name="prefix"/>; returns that line's number (1-based).
    /// </summary>
    public int ReplaceLine(string arch, string prefix, string? replacement)
    {
        var lines = File.ReadAllLines(ArchFile(arch)).ToList();
        var index = lines.FindIndex(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"configs/arch/{arch}.yaml has no line starting with '{prefix}': update the test");
        lines.RemoveAt(index);
        if (replacement is not null) lines.Insert(index, replacement);
        File.WriteAllLines(ArchFile(arch), lines);
        return index + 1;
    }

    /// <summary>Runs `bin/harness ARGS` from this checkout's root, with its own TMPDIR.</summary>
    public Task<ProcessResult> RunAsync(string[] arguments, CancellationToken cancellationToken) =>
        HarnessCli.RunAsync(arguments, cancellationToken, Config.Temp, workingDirectory: Config.Root);

    public void Dispose() => Config.Dispose();
}
