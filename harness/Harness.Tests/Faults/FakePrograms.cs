using Harness.Build;
using Harness.Processes;

namespace Harness.Tests.Faults;

/// <summary>
/// Fake host programs (shell scripts in a scratch bin directory) and a runner that starts them in place of the real
/// ones: the real <see cref="ProcessRunner"/> underneath, so limits, kills and the process table are real.
/// </summary>
internal sealed class FakePrograms(string directory) : IProcessRunner
{
    private readonly ProcessRunner _real = new();
    private readonly Dictionary<string, string> _fakes = [];

    /// <summary>
    /// A script standing in for <paramref name="program"/>: sleeps <paramref name="sleepSeconds"/> (a child process, so
    /// the kill must take the tree) when any argument equals <paramref name="hangOn"/>, else runs <paramref name="otherwise"/>.
    /// </summary>
    /// <param name="program">The name the harness starts it by.</param>
    /// <param name="hangOn">An argument that makes it hang.</param>
    /// <param name="sleepSeconds">How long it sleeps then: a length no other process uses, to find it in the process table.</param>
    /// <param name="otherwise">Shell command for every other invocation (see <see cref="PassOn"/>).</param>
    /// <param name="beforeHanging">Shell command run first when it hangs (leave what the real program leaves mid-way).</param>
    public string Hang(string program, string hangOn, string sleepSeconds, string otherwise, string beforeHanging = "true")
    {
        var script = Path.Combine(directory, program);
        Directory.CreateDirectory(directory);
        File.WriteAllText(script, $"""
            #!/bin/sh
            for argument in "$@"; do
              if [ "$argument" = "{hangOn}" ]; then {beforeHanging}; sleep {sleepSeconds}; exit 1; fi
            done
            {otherwise}

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _fakes[program] = script;
        return script;
    }

    /// <summary>The real program's path, for a fake that passes everything else on: `exec REAL "$@"`.</summary>
    public static string PassOn(string program) => $"exec {Toolchain.FindOnPath(program)} \"$@\"";

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken, CancellationToken gracefulCancellation = default) =>
        _real.RunAsync(_fakes.TryGetValue(spec.Program, out var fake) ? spec with { Program = fake } : spec, cancellationToken, gracefulCancellation);
}
