using System.Text;
using Harness.Errors;
using Renci.SshNet.Common;

namespace Harness.Ssh;

public sealed partial class GuestSession
{
    /// <summary>How long to wait for the rest of stdout once the command ended (or the connection broke).</summary>
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);

    public async Task<CommandResult> RunStreamingAsync(string command, TimeSpan timeout, Action<string> onLine, CancellationToken cancellationToken)
    {
        using var ssh = _ssh.CreateCommand(command);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = new StringBuilder();
        var execution = ssh.ExecuteAsync(limit.Token);
        // OutputStream is readable while the command runs; reading it here means ssh.Result stays empty.
        var reader = Task.Run(() => ReadLines(ssh.OutputStream, stdout, onLine), CancellationToken.None);
        try
        {
            await execution;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAny(reader, Task.Delay(OutputDrain, CancellationToken.None));
            throw new InfrastructureException(
                $"Guest command did not finish within {timeout.TotalSeconds:F0} s and was cancelled: {Shown(command)}", new TimeoutException(e.Message, e));
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or IOException)
        {
            await Task.WhenAny(reader, Task.Delay(OutputDrain, CancellationToken.None));
            throw new InfrastructureException(
                $"Guest command failed: the SSH connection to {_endpoint.Host}:{_endpoint.Port} broke ({e.Message}): {Shown(command)}", e);
        }
        await Task.WhenAny(reader, Task.Delay(OutputDrain, CancellationToken.None));
        string text;
        lock (stdout) text = stdout.ToString();
        // A command killed by a signal has no exit status; the signal's name is what says it crashed.
        var stderr = ssh.ExitSignal is { } signal ? $"{ssh.Error}killed by SIG{signal}" : ssh.Error;
        return new CommandResult(ssh.ExitStatus ?? -1, text, stderr);
    }

    private static void ReadLines(Stream output, StringBuilder all, Action<string> onLine)
    {
        var pending = new StringBuilder();
        var buffer = new byte[65536];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            int n;
            while ((n = output.Read(buffer, 0, buffer.Length)) > 0)
            {
                var count = decoder.GetChars(buffer, 0, n, chars, 0);
                for (var i = 0; i < count; i++)
                {
                    if (chars[i] != '\n') { pending.Append(chars[i]); continue; }
                    var line = pending.ToString();
                    pending.Clear();
                    lock (all) all.Append(line).Append('\n');
                    onLine(line);
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or SshException)
        {
            // The command was disposed or the connection broke: what arrived before is all there is.
        }
        // A last line without its newline is output too, but not a complete line to hand on.
        lock (all) all.Append(pending);
    }
}
