namespace Harness.Processes;

/// <summary>
/// What to run: program, arguments, where, with what environment, and where its output goes.
/// Every external program the harness starts (git, make, clang, qemu) is described by one of these.
/// </summary>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Both output streams are appended here line by line, after the quoted command line.</summary>
    public string? LogFile { get; init; }

    /// <summary>Called for every output line as it arrives (stdout and stderr), for live progress.</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>Keep the full stdout in the result. Off for chatty programs (a kernel build): the log file has it.</summary>
    public bool CaptureStandardOutput { get; init; } = true;

    public string? StandardInput { get; init; }

    /// <summary>Wall-clock limit; the process is killed when it is exceeded.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The command line as a shell would take it, for logs and reproduce lines.</summary>
    public string CommandLine => string.Join(' ', new[] { Program }.Concat(Arguments).Select(ShellQuoting.Quote));

    public static ProcessSpec Of(string program, params string[] arguments) => new(program, arguments);
}
