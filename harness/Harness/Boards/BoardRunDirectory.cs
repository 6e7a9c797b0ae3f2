using Harness.Processes;

namespace Harness.Boards;

/// <summary>
/// The fresh directory one run uses on a board (made with mktemp under its work-dir): the uploaded loader, the objects,
/// and the loader's pid, so a loader left behind by a hang or a lost connection can be killed (a board is never rebooted
/// by the harness, so nothing else would stop it).
/// </summary>
public sealed record BoardRunDirectory(string Path)
{
    public string Loader => $"{Path}/harness-loader";

    public string Objects => $"{Path}/selftests";

    private string PidFile => $"{Path}/loader.pid";

    /// <summary>
    /// The loader's command for <see cref="Run.GuestLoads"/>: the shell records its pid and becomes the loader (exec keeps
    /// the pid), so <see cref="KillLeftoverLoader"/> finds it; the --jobs argument follows.
    /// </summary>
    public string LoaderCommand => $"echo $$ > {ShellQuoting.Quote(PidFile)} && exec {ShellQuoting.Quote(Loader)}";

    /// <summary>
    /// Kills the run's loader if it still runs, and first its per-program child: found by its parent pid in /proc/*/stat
    /// (not every SSH server gives a command a process group of its own, and busybox has no pkill), killed before the
    /// parent so it is not orphaned to init first. Pids are checked to be harness-loaders, so a reused pid is left alone.
    /// </summary>
    public string KillLeftoverLoader =>
        $"p=$(cat {ShellQuoting.Quote(PidFile)} 2>/dev/null) && grep -q harness-loader /proc/$p/cmdline 2>/dev/null && " +
        "{ for s in /proc/[0-9]*/stat; do set -- $(cat $s 2>/dev/null); [ \"$4\" = \"$p\" ] && grep -q harness-loader /proc/$1/cmdline 2>/dev/null && kill -9 $1; done; " +
        "kill -9 -- -$p 2>/dev/null || kill -9 $p; }; true";

    /// <summary>Whether the loader is still there (a board that rebooted itself may have lost a directory on tmpfs).</summary>
    public string StillThere => $"test -x {ShellQuoting.Quote(Loader)} && test -d {ShellQuoting.Quote(Objects)}";
}
