namespace Harness.Ssh;

/// <summary>
/// The pinned host key of a guest: SSH.NET hands over the raw key blob the server sent, which must equal the
/// base64 part of the pinned "ssh-ed25519 AAAA..." line byte for byte. There is no prompt and no
/// trust-on-first-use: the pin comes from the image that generated the key.
/// </summary>
public sealed class HostKeyPin
{
    private readonly byte[] _blob;

    public HostKeyPin(string publicKeyLine)
    {
        var parts = publicKeyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new ArgumentException($"'{publicKeyLine}' is not an OpenSSH public key line (TYPE BASE64).", nameof(publicKeyLine));
        Algorithm = parts[0];
        _blob = Convert.FromBase64String(parts[1]);
        Line = $"{parts[0]} {parts[1]}";
    }

    public string Algorithm { get; }

    /// <summary>"ssh-ed25519 AAAA..." without a comment.</summary>
    public string Line { get; }

    public bool Matches(byte[] hostKeyBlob) => hostKeyBlob.AsSpan().SequenceEqual(_blob);

    /// <summary>The same key as the server presented it, for error messages.</summary>
    public static string Describe(string algorithm, byte[] hostKeyBlob) => $"{algorithm} {Convert.ToBase64String(hostKeyBlob)}";

    /// <summary>A known_hosts line for ssh(1): "[127.0.0.1]:PORT ssh-ed25519 AAAA...".</summary>
    public string KnownHostsLine(string host, int port) => $"{(port == 22 ? host : $"[{host}]:{port}")} {Line}";
}
