using System.Runtime.CompilerServices;
using Harness.Errors;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Harness.Ssh;

public sealed partial class GuestSession
{
    public async Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ssh = _ssh.CreateCommand(command);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await ssh.ExecuteAsync(limit.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InfrastructureException(
                $"Guest command did not finish within {timeout.TotalSeconds:F0} s and was cancelled: {Shown(command)}", new TimeoutException(e.Message, e));
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or IOException)
        {
            throw new InfrastructureException(
                $"Guest command failed: the SSH connection to {_endpoint.Host}:{_endpoint.Port} broke ({e.Message}): {Shown(command)}", e);
        }
        return new CommandResult(ssh.ExitStatus ?? -1, ssh.Result, ssh.Error);
    }

    public async Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
    {
        var sftp = await SftpAsync(cancellationToken);
        await using var source = File.OpenRead(localPath);
        try
        {
            await sftp.UploadFileAsync(source, remotePath, cancellationToken);
        }
        catch (Exception e) when (e is SshException or IOException)
        {
            throw new InfrastructureException($"Upload {localPath} -> guest:{remotePath} failed: {e.Message}", e);
        }
    }

    public async Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        var sftp = await SftpAsync(cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        var temp = localPath + ".part";
        try
        {
            await using (var target = File.Create(temp))
                await sftp.DownloadFileAsync(remotePath, target, cancellationToken);
            File.Move(temp, localPath, overwrite: true);
        }
        catch (Exception e) when (e is SshException or IOException)
        {
            throw new InfrastructureException($"Download guest:{remotePath} -> {localPath} failed: {e.Message}", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task<SftpClient> SftpAsync(CancellationToken cancellationToken)
    {
        await _sftpGate.WaitAsync(cancellationToken);
        try
        {
            if (_sftp is { IsConnected: true }) return _sftp;
            _sftp?.Dispose();
            var seen = new StrongBox<string?>(null);
            var sftp = new SftpClient(Info(_endpoint, TimeSpan.FromSeconds(10)));
            sftp.HostKeyReceived += (_, e) => Check(_pin, e, seen);
            try
            {
                await sftp.ConnectAsync(cancellationToken);
            }
            catch (Exception e) when (e is SshException or IOException or System.Net.Sockets.SocketException)
            {
                sftp.Dispose();
                throw new InfrastructureException(seen.Value is not null
                    ? $"SFTP to {_endpoint.Host}:{_endpoint.Port}: host key {seen.Value} does not match the pinned {_pin.Line}; refusing."
                    : $"SFTP to {_endpoint.Host}:{_endpoint.Port} failed: {e.Message}. The guest image needs /usr/lib/sftp-server (openssh-sftp-server).", e);
            }
            return _sftp = sftp;
        }
        finally
        {
            _sftpGate.Release();
        }
    }
}
