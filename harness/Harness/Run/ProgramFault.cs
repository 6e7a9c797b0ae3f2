namespace Harness.Run;

/// <summary>
/// Why one program has no verdict: the guest died, hung or rebooted, or the loader crashed while it was the
/// program in flight (the loader's output so far says which programs finished). <see cref="Evidence"/> holds
/// the console lines (or kernel messages) that show it.
/// </summary>
public sealed record ProgramFault(string Reason, IReadOnlyList<string> Evidence);

/// <summary>How the loader is run and how much a kernel may fail before its remaining programs are given up.</summary>
/// <param name="LoaderCommand">The loader with its options, without --jobs (<see cref="GuestLoads"/> uploads the job file and adds it).</param>
/// <param name="ProgramLimit">No new result for this long: the program in flight hung (timeouts: program).</param>
/// <param name="MaxReboots">Reboots after faults for one kernel (reboots: in the run config); 0 gives up at the first guest fault.</param>
/// <param name="HoldBefore">"object:program" the loader stops before, once per kernel (run --hold-before); null: never.</param>
public sealed record GuestLoadSettings(string LoaderCommand, TimeSpan ProgramLimit, int MaxReboots, string? HoldBefore = null)
{
    /// <summary>How faults and reboots are worded: a QEMU guest by default, a board when the loader runs on one.</summary>
    public GuestWords Words { get; init; } = GuestWords.Qemu;
}

/// <summary>
/// How <see cref="GuestLoads"/> speaks of the machine the loader runs on: a QEMU guest is torn down and rebooted; a
/// board is never rebooted by the harness, it only gets a new SSH connection.
/// </summary>
/// <param name="Machine">"the guest", or the board's name.</param>
/// <param name="Replaced">What became of it after a fault ("the guest was torn down").</param>
/// <param name="GoOn">Where the programs after the one in flight go ("go on in a new guest").</param>
/// <param name="Replacing">What is being done for them ("rebooting the guest").</param>
/// <param name="Replacement">One such reboot, counted ("reboot").</param>
/// <param name="Redone">The past of it ("rebooted").</param>
public sealed record GuestWords(string Machine, string Replaced, string GoOn, string Replacing, string Replacement, string Redone)
{
    public static GuestWords Qemu { get; } = new("the guest", "the guest was torn down", "go on in a new guest", "rebooting the guest", "reboot", "rebooted");

    public static GuestWords Board(string name) =>
        new(name, $"the connection to {name} was dropped", "go on over a new SSH connection (the harness never reboots a board)",
            $"connecting to {name} again", "new connection", "connected to again");
}
