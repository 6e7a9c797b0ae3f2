using System.Collections.Concurrent;
using System.Diagnostics;

namespace Harness.Processes;

/// <summary>
/// Keeps child processes from outliving the harness, however it ends.
/// <list type="bullet">
/// <item>SIGKILL (no handler runs): each child is started as `setpriv --pdeathsig KILL -- PROGRAM ...` (setpriv execs
/// the program, which keeps the pid, so graceful SIGINT and kill still reach it). The kernel sends the signal when the
/// THREAD that forked the child exits, and .NET thread-pool threads retire after idling: every child is therefore
/// forked from one dedicated thread that lives as long as the process.</item>
/// <item>A second Ctrl-C: <see cref="KillAll"/> kills every registered child (and its tree) before the forced exit.</item>
/// </list>
/// </summary>
public static class ChildProcesses
{
    private const string SetPriv = "setpriv";
    private static readonly BlockingCollection<Action> Starts = new();
    private static readonly ConcurrentDictionary<int, string> Live = new();
    private static readonly ConcurrentDictionary<string, byte> TempDirectories = new();
    private static readonly Lazy<string?> SetPrivPath = new(() => FindOnPath(SetPriv));

    static ChildProcesses()
    {
        var thread = new Thread(() =>
        {
            foreach (var start in Starts.GetConsumingEnumerable()) start();
        })
        {
            IsBackground = true,
            Name = "harness-child-starter",
        };
        thread.Start();
    }

    /// <summary>Whether children get a parent-death signal (setpriv from util-linux is on PATH).</summary>
    public static bool DieWithHarness => SetPrivPath.Value is not null;

    /// <summary>
    /// The program and arguments to start so that <paramref name="program"/> dies with the harness; the program itself
    /// when setpriv is missing. A program that is not on PATH is returned as is, so starting it fails as before.
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments) Guarded(string program, IReadOnlyList<string> arguments)
    {
        var resolved = program.Contains('/') ? Path.GetFullPath(program) : FindOnPath(program);
        if (SetPrivPath.Value is not { } setpriv || resolved is null) return (program, arguments);
        return (setpriv, ["--pdeathsig", "KILL", "--", resolved, .. arguments]);
    }

    /// <summary>Runs <paramref name="start"/> (which forks a child) on the long-lived starter thread.</summary>
    public static Task<T> StartAsync<T>(Func<T> start)
    {
        var started = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Starts.Add(() =>
        {
            try { started.SetResult(start()); }
            catch (Exception e) { started.SetException(e); }
        });
        return started.Task;
    }

    public static void Register(int pid, string commandLine) => Live[pid] = commandLine;

    public static void Unregister(int pid) => Live.TryRemove(pid, out _);

    /// <summary>A temp directory a forced exit removes (a guest's), since no `finally` runs then.</summary>
    public static void RegisterTempDirectory(string path) => TempDirectories[path] = 0;

    public static void UnregisterTempDirectory(string path) => TempDirectories.TryRemove(path, out _);

    /// <summary>Kills every live child with its descendants and removes the registered temp directories; returns how many children were killed.</summary>
    public static int KillAll()
    {
        var killed = 0;
        foreach (var pid in Live.Keys)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
                killed++;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }
        foreach (var directory in TempDirectories.Keys)
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return killed;
    }

    /// <summary>
    /// A temp directory named after this process (PREFIX-PID-random), so that <see cref="SweepTempDirectories"/> in a
    /// later run can tell that its owner is gone: SIGKILL runs no `finally`, and its guests' directories stay behind.
    /// </summary>
    public static DirectoryInfo CreateTempDirectory(string prefix)
    {
        SweepTempDirectories(prefix);
        return Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId}-");
    }

    /// <summary>Removes PREFIX-PID-* directories under the temp directory whose process no longer runs; returns how many.</summary>
    public static int SweepTempDirectories(string prefix)
    {
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var rest = Path.GetFileName(directory)[prefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or being removed by someone else: not ours to insist on.
            }
        }
        return removed;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);
}
