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
    /// the pid), so <see cref="KillLeftoverLoader"/> finds it; the --prog arguments follow.
    /// </summary>
    public string LoaderCommand => $"echo $$ > {ShellQuoting.Quote(PidFile)} && exec {ShellQuoting.Quote(Loader)}";

    /// <summary>
    /// Kills the run's loader if it still runs, with its per-program child (its process group: the SSH server starts each
    /// command in a session of its own). The pid is checked to be a harness-loader first, so a reused pid is left alone.
    /// </summary>
    public string KillLeftoverLoader =>
        $"p=$(cat {ShellQuoting.Quote(PidFile)} 2>/dev/null) && grep -q harness-loader /proc/$p/cmdline 2>/dev/null && " +
        "{ kill -9 -- -$p 2>/dev/null || kill -9 $p; }; true";

    /// <summary>Whether the loader is still there (a board that rebooted itself may have lost a directory on tmpfs).</summary>
    public string StillThere => $"test -x {ShellQuoting.Quote(Loader)} && test -d {ShellQuoting.Quote(Objects)}";
}
