using System.Net.Sockets;
using Harness.Errors;
using Harness.Ssh;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Harness.Boards;

/// <summary>
/// Opens the SSH session to a board. First a probe that only runs the key exchange: it learns the host key
/// the board presents and always aborts before authentication, so an unknown key ends the run with nothing
/// sent to the board (no login, no command). Only a key found in the board's known_hosts (or its host-key line)
/// is then pinned for the real session (<see cref="GuestSession"/>, which checks it again).
/// </summary>
public static class BoardConnection
{
    /// <summary>Connects to <paramref name="board"/>; an unknown host key, an unreachable board or a refused key is an InfrastructureException (exit 2).</summary>
    public static async Task<GuestSession> ConnectAsync(BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var trusted = await ProbeHostKeyAsync(board, timeout, cancellationToken);
        var endpoint = new GuestEndpoint(board.Host, board.Port, board.User, board.PrivateKeyFile, trusted);
        try
        {
            return await GuestSession.ConnectAsync(endpoint, DateTimeOffset.UtcNow + timeout, cancellationToken);
        }
        catch (InfrastructureException e) when (e.InnerException is SshAuthenticationException)
        {
            throw new InfrastructureException(
                $"Board {board.Name}: {board.User}@{board.Host}:{board.Port} refused the key {board.PrivateKeyFile} ({e.InnerException.Message}). " +
                $"Add its public half to ~{board.User}/.ssh/authorized_keys on the board, or fix 'private-key' in {board.SourceFile}.", e);
        }
    }

    /// <summary>The trusted key line the board presented; throws when it presented another key or none.</summary>
    public static async Task<string> ProbeHostKeyAsync(BoardTarget board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pins = board.HostKeys.KeyLines.Select(l => new HostKeyPin(l)).ToArray();
        string? presented = null;
        string? matched = null;
        using var client = new SshClient(Info(board, timeout));
        client.HostKeyReceived += (_, e) =>
        {
            presented = HostKeyPin.Describe(e.HostKeyName, e.HostKey);
            matched = pins.FirstOrDefault(p => p.Matches(e.HostKey))?.Line;
            // The probe never goes past the key exchange, trusted key or not.
            e.CanTrust = false;
        };
        try
        {
            await client.ConnectAsync(cancellationToken);
            // Unreachable: CanTrust=false always fails the key exchange.
            client.Disconnect();
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or ProxyException)
        {
            if (presented is null)
                throw new InfrastructureException(
                    $"Board {board.Name}: cannot reach the SSH server at {board.Host}:{board.Port} ({e.Message}). " +
                    $"Check that the board is up and 'host'/'port' in {board.SourceFile}.", e);
        }
        if (matched is not null) return matched;
        var algorithm = (presented ?? "none").Split(' ')[0];
        var otherAlgorithm = pins.All(p => p.Algorithm != algorithm)
            ? $"\n{board.HostKeys.Source} holds no {algorithm} key for it; if the board's {algorithm} key is genuine, add it " +
              $"(ssh-keyscan -t {algorithm} -p {board.Port} {board.Host}, checked out of band)."
            : "";
        throw new InfrastructureException(
            $"Board {board.Name}: the SSH host key of {board.Host}:{board.Port} is not the one in {board.HostKeys.Source}; refusing to connect " +
            "(the key exchange was aborted: no login, nothing sent to the board).\n" +
            $"  presented: {presented}\n" +
            $"  trusted:   {string.Join("\n             ", board.HostKeys.KeyLines)}\n" +
            "Something else answers there, or the board was reinstalled: check its key out of band and update the known_hosts entry or host-key." +
            otherAlgorithm);
    }

    private static ConnectionInfo Info(BoardTarget board, TimeSpan timeout)
    {
        PrivateKeyFile key;
        try
        {
            key = new PrivateKeyFile(board.PrivateKeyFile);
        }
        catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException or IOException or NotSupportedException)
        {
            throw new BadInputException(
                $"Board {board.Name}: the private key file {board.PrivateKeyFile} cannot be read ({e.Message}). " +
                $"Give an unencrypted OpenSSH private key in 'private-key' of {board.SourceFile}.", e);
        }
        return new ConnectionInfo(board.Host, board.Port, board.User, new PrivateKeyAuthenticationMethod(board.User, key))
        {
            Timeout = timeout < TimeSpan.FromSeconds(10) ? timeout : TimeSpan.FromSeconds(10),
        };
    }
}
