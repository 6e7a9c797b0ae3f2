using System.Text.RegularExpressions;
using Harness.Images;
using Harness.Ssh;

namespace Harness.Tests.Support;

/// <summary>
/// Fault injection from outside a running `harness run`: finds the run's QEMU in the process table (its command line
/// names the console log under the run's output directory), opens a second SSH session into that guest with the
/// image's own keys (the -initrd's cache directory holds them), and runs a command once the loader is running.
/// </summary>
public static partial class GuestInjection
{
    [GeneratedRegex(@"hostfwd=tcp:127\.0\.0\.1:(?<port>\d+)-:22")]
    private static partial Regex ForwardedPort();

    [GeneratedRegex(@"-initrd (?<initrd>\S+)")]
    private static partial Regex Initrd();

    /// <summary>
    /// Waits for the first QEMU whose command line contains <paramref name="marker"/>, then for harness-loader in it
    /// (its pids in $p), then runs <paramref name="command"/> there. Returns what the command printed and QEMU's pid; a
    /// command that kills the guest (reboot -f) ends with the connection, which is not an error here.
    /// </summary>
    public static async Task<(string Output, int QemuPid)> WhenLoaderRunsAsync(string marker, string command, CancellationToken cancellationToken)
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
            var result = await session.RunAsync($"while ! p=$(pidof harness-loader); do usleep 20000; done; {command}", TimeSpan.FromMinutes(3), cancellationToken);
            return (result.Stdout + result.Stderr, qemu.Pid);
        }
        catch (Errors.InfrastructureException e)
        {
            return (e.Message, qemu.Pid);
        }
    }
}
