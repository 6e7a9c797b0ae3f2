namespace Harness.Ssh;

/// <summary>What a command run in the guest left behind.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// A shell in a running guest: commands, uploads, downloads. <see cref="GuestSession"/> is the real one over
/// SSH; later stages take this interface so they can be tested with a fake.
/// </summary>
public interface IGuestSession : IAsyncDisposable
{
    /// <summary>
    /// Runs a command through the guest's shell. Never throws on a non-zero exit (the caller decides what it
    /// means); throws <see cref="Errors.InfrastructureException"/> when it runs past <paramref name="timeout"/>
    /// or the connection is lost. Exit code -1: killed by a signal.
    /// </summary>
    Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RunAsync"/>, handing each line of stdout to <paramref name="onLine"/> as it arrives, so a caller
    /// keeps what a command printed before the guest died under it (the exception comes after the lines) and can
    /// tell a command that stopped making progress. The default delivers the lines once the command ends.
    /// </summary>
    async Task<CommandResult> RunStreamingAsync(string command, TimeSpan timeout, Action<string> onLine, CancellationToken cancellationToken)
    {
        var result = await RunAsync(command, timeout, cancellationToken);
        foreach (var line in result.Stdout.Split('\n').SkipLast(1)) onLine(line);
        return result;
    }

    /// <summary>Copies a host file into the guest (SFTP); the remote directory must exist.</summary>
    Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken);

    /// <summary>Copies a guest file to the host (SFTP), creating the local directory.</summary>
    Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken);
}

/// <summary>
/// Where a guest's SSH server is and how to trust it: the pinned host public key ("ssh-ed25519 AAAA...") and
/// the client private key file (OpenSSH format) that root accepts.
/// </summary>
public sealed record GuestEndpoint(string Host, int Port, string User, string PrivateKeyFile, string HostPublicKey);
