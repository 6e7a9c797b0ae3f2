using Harness.Errors;
using Harness.Processes;

namespace Harness.Images;

/// <summary>The keys generated for one image: dropbear's host key (guest) and root's client key (host).</summary>
public sealed record GuestKeyFiles(string HostKeyFile, string HostPublicKey, string ClientPrivateKeyFile, string ClientPublicKey);

/// <summary>
/// Generates an image's keys with the host's tools: `dropbearkey -t ed25519` (dropbear's own format, which the
/// guest reads; `dropbearkey -y` prints the public half to pin) and `ssh-keygen -t ed25519 -N ""` (OpenSSH
/// format, which SSH.NET and ssh(1) read). Key files are mode 0600.
/// </summary>
public sealed class GuestKeys(IProcessRunner runner)
{
    public const string HostKeyName = "host_ed25519.dropbear";
    public const string ClientKeyName = "client_ed25519";

    public async Task<GuestKeyFiles> RunAsync(string directory, CancellationToken cancellationToken)
    {
        var hostKey = Path.Combine(directory, HostKeyName);
        (await runner.RunAsync(ProcessSpec.Of("dropbearkey", "-t", "ed25519", "-f", hostKey), cancellationToken)).EnsureSuccess();
        var shown = (await runner.RunAsync(ProcessSpec.Of("dropbearkey", "-y", "-f", hostKey), cancellationToken)).EnsureSuccess();
        var hostPublic = PublicKeyLine(shown.StandardOutput)
            ?? throw new InfrastructureException($"dropbearkey -y -f {hostKey} printed no 'ssh-ed25519 ...' line:\n{shown.StandardOutput}");

        var clientKey = Path.Combine(directory, ClientKeyName);
        (await runner.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "harness-guest-root", "-f", clientKey),
            cancellationToken)).EnsureSuccess();
        foreach (var file in new[] { hostKey, clientKey })
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var clientPublic = PublicKeyLine(await File.ReadAllTextAsync(clientKey + ".pub", cancellationToken))
            ?? throw new InfrastructureException($"{clientKey}.pub holds no 'ssh-ed25519 ...' line.");
        return new GuestKeyFiles(hostKey, hostPublic, clientKey, clientPublic);
    }

    /// <summary>"ssh-ed25519 BASE64" from output that holds such a line (comments dropped).</summary>
    public static string? PublicKeyLine(string text) =>
        text.Split('\n').Select(l => l.Trim().Split(' '))
            .Where(p => p.Length >= 2 && p[0] == "ssh-ed25519")
            .Select(p => p[0] + " " + p[1])
            .FirstOrDefault();
}
