namespace Harness.Tests.Support;

/// <summary>Reads the process table (/proc) to prove nothing was left running.</summary>
public static class ProcessTable
{
    /// <summary>Command lines of live processes containing <paramref name="text"/> (e.g. a test's unique console log path).</summary>
    public static IReadOnlyList<string> Containing(string text) => Find(text).Select(p => p.CommandLine).ToArray();

    /// <summary>Live processes whose command line (arguments joined by spaces) contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Find(string text) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Directory: d))
            .Where(p => p.Pid > 0)
            .Select(p =>
            {
                try { return (p.Pid, CommandLine: File.ReadAllText(Path.Combine(p.Directory, "cmdline")).Replace('\0', ' ')); }
                catch (IOException) { return (p.Pid, CommandLine: ""); }
                catch (UnauthorizedAccessException) { return (p.Pid, CommandLine: ""); }
            })
            .Where(p => p.CommandLine.Contains(text, StringComparison.Ordinal))
            .ToArray();

    /// <summary>
    /// The guests' QEMUs among the processes naming <paramref name="marker"/>: the program is qemu-system-* (also by its
    /// full path: children start through setpriv, which keeps the resolved path), and not the short KVM probe boot.
    /// </summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> GuestQemus(string marker) =>
        Find(marker).Where(p => Path.GetFileName(p.CommandLine.Split(' ')[0]).StartsWith("qemu-system", StringComparison.Ordinal)
                                && !p.CommandLine.Contains(Harness.Vm.KvmProbe.ConsoleLogName, StringComparison.Ordinal)).ToArray();
}
