using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Harness.Errors;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Harness.Ssh;

/// <summary>
/// An SSH session into a guest over SSH.NET: key auth only, the host key checked against the pin in
/// HostKeyReceived (a mismatch is an error, never a prompt), commands with a per-command timeout, and SFTP
/// (a second connection, opened on first use) for uploads and downloads.
/// </summary>
public sealed partial class GuestSession : IGuestSession
{
    /// <summary>How much of a command an error message quotes: the loader's command names every program (thousands of characters).</summary>
    private const int ShownCommandLength = 160;

    /// <summary>The command as an error quotes it: whole when short, else its start and how much was left out.</summary>
    internal static string Shown(string command) =>
        command.Length <= ShownCommandLength ? command : $"{command[..ShownCommandLength]}... ({command.Length - ShownCommandLength} more characters)";

    private readonly GuestEndpoint _endpoint;
    private readonly HostKeyPin _pin;
    private readonly SshClient _ssh;
    private readonly SemaphoreSlim _sftpGate = new(1, 1);
    private SftpClient? _sftp;

    private GuestSession(GuestEndpoint endpoint, HostKeyPin pin, SshClient ssh)
    {
        _endpoint = endpoint;
        _pin = pin;
        _ssh = ssh;
    }

    public GuestEndpoint Endpoint => _endpoint;

    /// <summary>
    /// Connects, retrying while the guest is still booting (connection refused or reset, no banner yet) until
    /// <paramref name="deadline"/>. A wrong host key or a refused client key fails at once.
    /// </summary>
    public static async Task<GuestSession> ConnectAsync(GuestEndpoint endpoint, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var pin = new HostKeyPin(endpoint.HostPublicKey);
        Exception? last = null;
        var attempts = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            attempts++;
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new InfrastructureException(
                    $"SSH to {endpoint.User}@{endpoint.Host}:{endpoint.Port} did not succeed before the deadline ({attempts - 1} attempts). Last error: {last?.Message ?? "none"}", last);
            var ssh = Open(endpoint, pin, remaining, out var mismatch);
            try
            {
                await ssh.ConnectAsync(cancellationToken);
                return new GuestSession(endpoint, pin, ssh);
            }
            catch (Exception e) when (mismatch.Value is not null)
            {
                ssh.Dispose();
                throw new InfrastructureException(
                    $"SSH host key of {endpoint.Host}:{endpoint.Port} does not match the pinned key; refusing to connect.\n" +
                    $"  pinned:    {pin.Line}\n  presented: {mismatch.Value}\n" +
                    "Something else answers on that port, or the image was rebuilt under a running guest.", e);
            }
            catch (SshAuthenticationException e)
            {
                ssh.Dispose();
                throw new InfrastructureException(
                    $"SSH to {endpoint.User}@{endpoint.Host}:{endpoint.Port}: the guest refused the key {endpoint.PrivateKeyFile} ({e.Message}). " +
                    "The image's authorized_keys and its client key disagree: delete the image from the cache to rebuild it.", e);
            }
            catch (Exception e) when (e is SshConnectionException or SocketException or SshOperationTimeoutException or ProxyException or IOException)
            {
                ssh.Dispose();
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
            catch
            {
                ssh.Dispose();
                throw;
            }
        }
    }

    private static SshClient Open(GuestEndpoint endpoint, HostKeyPin pin, TimeSpan remaining, out StrongBox<string?> mismatch)
    {
        var info = Info(endpoint, remaining);
        var client = new SshClient(info);
        // The handler reports what it saw, so the connect loop can tell a key mismatch from a guest still booting.
        var seen = new StrongBox<string?>(null);
        client.HostKeyReceived += (_, e) => Check(pin, e, seen);
        mismatch = seen;
        return client;
    }

    private static ConnectionInfo Info(GuestEndpoint endpoint, TimeSpan remaining) =>
        new(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, new PrivateKeyFile(endpoint.PrivateKeyFile)))
        {
            Timeout = remaining < TimeSpan.FromSeconds(10) ? remaining : TimeSpan.FromSeconds(10),
        };

    private static void Check(HostKeyPin pin, HostKeyEventArgs e, StrongBox<string?> mismatch)
    {
        e.CanTrust = pin.Matches(e.HostKey);
        if (!e.CanTrust) mismatch.Value = HostKeyPin.Describe(e.HostKeyName, e.HostKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _sftpGate.WaitAsync();
        try
        {
            _sftp?.Dispose();
            _sftp = null;
        }
        finally
        {
            _sftpGate.Release();
        }
        _ssh.Dispose();
    }
}
