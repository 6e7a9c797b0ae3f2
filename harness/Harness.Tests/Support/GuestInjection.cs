using System.Text.RegularExpressions;
using Harness.Images;
using Harness.Ssh;

namespace Harness.Tests.Support;

/// <summary>
/// Fault injection from outside a running `harness run`: finds the run's QEMU in the process table (its command line
/// names the console log under the run's output directory), opens a second SSH session into that guest with the
/// image's own keys (the -initrd's cache directory holds them), and runs a command once the loader is held.
/// </summary>
public static partial class GuestInjection
{
    [GeneratedRegex(@"hostfwd=tcp:127\.0\.0\.1:(?<port>\d+)-:22")]
    private static partial Regex ForwardedPort();

    [GeneratedRegex(@"-initrd (?<initrd>\S+)")]
    private static partial Regex Initrd();

    /// <summary>Where the loader says it is held (run --hold-before): its pid and the program; removing it lets the loader go on.</summary>
    public const string HoldFile = "/tmp/harness-hold";

    /// <summary>
    /// For a run with --hold-before: waits for the first QEMU whose command line contains <paramref name="marker"/>,
    /// then until the loader is held there (its pid in $p), runs <paramref name="command"/>, and lets the loader go on
    /// when <paramref name="release"/>. Nothing races the loader: it waits, however long the second session takes.
    /// </summary>
    public static Task<(string Output, int QemuPid)> WhenHeldAsync(string marker, string command, CancellationToken cancellationToken, bool release = true) =>
        InGuestAsync(marker,
            $"while [ ! -e {HoldFile} ]; do usleep 20000; done; p=$(cut -d' ' -f1 {HoldFile}); {command}" + (release ? $"; rm -f {HoldFile}" : ""),
            cancellationToken);

    /// <summary>Runs <paramref name="script"/> in the first guest whose QEMU command line contains <paramref name="marker"/>, over a second SSH session.</summary>
    private static async Task<(string Output, int QemuPid)> InGuestAsync(string marker, string script, CancellationToken cancellationToken)
    {
        (int Pid, string CommandLine) qemu;
        while (true)
        {
            qemu = ProcessTable.GuestQemus(marker).FirstOrDefault();
            if (qemu.Pid != 0) break;
            await Task.Delay(100, cancellationToken);
        }
        var port = int.Parse(ForwardedPort().Match(qemu.CommandLine).Groups["port"].Value);
        var imageDirectory = Path.GetDirectoryName(Initrd().Match(qemu.CommandLine).Groups["initrd"].Value)!;
        var endpoint = new GuestEndpoint("127.0.0.1", port, "root", Path.Combine(imageDirectory, GuestKeys.ClientKeyName),
            (await File.ReadAllTextAsync(Path.Combine(imageDirectory, ImageBuilder.HostPublicKeyName), cancellationToken)).Trim());
        await using var session = await GuestSession.ConnectAsync(endpoint, DateTimeOffset.UtcNow.AddMinutes(3), cancellationToken);
        try
        {
            var result = await session.RunAsync(script, TimeSpan.FromMinutes(3), cancellationToken);
            return (result.Stdout + result.Stderr, qemu.Pid);
        }
        catch (Errors.InfrastructureException e)
        {
            return (e.Message, qemu.Pid);
        }
    }
}
