using Harness.Boards;
using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Boards;

/// <summary>
/// The shell the board stage runs to stop a loader left behind, run here on the host against a stand-in loader: a
/// parent started the way the board stage starts the loader (pid file, exec) and a per-program child, both named
/// harness-loader, the child in the parent's process group (as under an SSH server that gives commands no group).
/// </summary>
[Category("Faults")]
public class BoardRunDirectoryTests
{
    [Test, CancelAfter(30_000)]
    public async Task Kills_a_leftover_loader_and_its_per_program_child(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var directory = new BoardRunDirectory(temp.Path);
        File.WriteAllText(directory.Loader, "#!/bin/bash\nbash -c 'exec -a harness-loader sleep 600' &\nwait\n");
        File.SetUnixFileMode(directory.Loader, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loader = new ProcessRunner().RunAsync(new ProcessSpec("sh", ["-c", directory.LoaderCommand]), stop.Token);
        var pidFile = Path.Combine(temp.Path, "loader.pid");
        int parent = 0, child = 0;
        while (child == 0)
        {
            await Task.Delay(50, cancellationToken);
            if (parent == 0 && File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var p)) parent = p;
            if (parent != 0) child = ChildrenOf(parent).FirstOrDefault();
        }

        try
        {
            var killed = await new ProcessRunner().RunAsync(ProcessSpec.Of("sh", "-c", directory.KillLeftoverLoader), cancellationToken);
            await Task.WhenAny(loader, Task.Delay(5_000, cancellationToken));

            Assert.Multiple(() =>
            {
                Assert.That(killed.ExitCode, Is.Zero, killed.StandardError);
                Assert.That(loader.IsCompleted, Is.True, "the loader (the pid file's process) was killed");
                Assert.That(Running(child), Is.False, "its per-program child was killed too, not left orphaned");
            });
        }
        finally
        {
            await stop.CancelAsync();
            if (Running(child)) await new ProcessRunner().RunAsync(ProcessSpec.Of("kill", "-9", child.ToString()), CancellationToken.None);
        }
    }

    /// <summary>Pids whose parent is <paramref name="parent"/>, from /proc/*/stat (the fourth field).</summary>
    private static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsDigit))
            .Select(d => (Pid: int.Parse(d!), Stat: Read($"/proc/{d}/stat")))
            .Where(p => p.Stat is { } s && s[(s.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString())
            .Select(p => p.Pid);

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool Running(int pid) => Read($"/proc/{pid}/stat") is { } stat && stat[stat.LastIndexOf(')') + 2] != 'Z';

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
