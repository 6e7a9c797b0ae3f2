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
