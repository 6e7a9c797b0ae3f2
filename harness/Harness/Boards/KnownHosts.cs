using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Boards;

/// <summary>One key line of a known_hosts file: its host patterns (plain or hashed), marker and key.</summary>
/// <param name="LineNumber">1-based line in the file, for messages.</param>
/// <param name="Marker">"@revoked", "@cert-authority", or null.</param>
/// <param name="Hosts">The first field as written: "host,[host]:2222,10.0.0.*" or "|1|SALT|HASH".</param>
/// <param name="Algorithm">"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", ...</param>
/// <param name="Key">The base64 key blob.</param>
public sealed record KnownHostsEntry(int LineNumber, string? Marker, string Hosts, string Algorithm, string Key)
{
    /// <summary>"ALGORITHM BASE64", the form <see cref="Ssh.HostKeyPin"/> takes.</summary>
    public string KeyLine => $"{Algorithm} {Key}";

    /// <summary>
    /// Whether this line is about <paramref name="lookupName"/> ("host" for port 22, "[host]:port" otherwise, as
    /// ssh(1) writes it): a hashed "|1|salt|hash" entry is HMAC-SHA1(salt, name); plain patterns are matched
    /// with '*' and '?', and a matching "!pattern" excludes the line whatever else matches.
    /// </summary>
    public bool Matches(string lookupName)
    {
        if (Hosts.StartsWith("|1|", StringComparison.Ordinal)) return HashedMatches(lookupName);
        var matched = false;
        foreach (var pattern in Hosts.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = pattern.StartsWith('!');
            if (!Wildcard(negated ? pattern[1..] : pattern).IsMatch(lookupName)) continue;
            if (negated) return false;
            matched = true;
        }
        return matched;
    }

    private bool HashedMatches(string lookupName)
    {
        var parts = Hosts.Split('|');
        // "|1|SALT|HASH" splits into "", "1", SALT, HASH.
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(lookupName));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Regex Wildcard(string pattern) =>
        new("^" + Regex.Escape(pattern.ToLowerInvariant()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}

/// <summary>
/// Parses OpenSSH known_hosts files (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT") and finds the keys for one host
/// and port, the way ssh(1) does for StrictHostKeyChecking=yes: plain and hashed ("|1|") host names,
/// "[host]:port" for ports other than 22, wildcards and negations, @revoked keys. Lines ssh(1) would skip
/// (comments, blank, malformed) are skipped. @cert-authority lines are not host keys and are never trusted here.
/// </summary>
public static class KnownHosts
{
    /// <summary>How ssh(1) names a host in known_hosts: "host" on port 22, else "[host]:port".</summary>
    public static string LookupName(string host, int port)
    {
        // ssh(1) lowercases the name before writing or hashing it.
        host = host.ToLowerInvariant();
        return port == 22 ? host : $"[{host}]:{port}";
    }

    public static IReadOnlyList<KnownHostsEntry> Parse(string text)
    {
        var entries = new List<KnownHostsEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string? marker = null;
            if (fields[0].StartsWith('@'))
            {
                marker = fields[0];
                fields = fields[1..];
            }
            if (fields.Length < 3 || !IsBase64(fields[2])) continue;
            entries.Add(new KnownHostsEntry(i + 1, marker, fields[0], fields[1], fields[2]));
        }
        return entries;
    }

    /// <summary>The keys trusted for <paramref name="host"/>:<paramref name="port"/>, without revoked ones.</summary>
    public static IReadOnlyList<KnownHostsEntry> KeysFor(IReadOnlyList<KnownHostsEntry> entries, string host, int port)
    {
        var name = LookupName(host, port);
        // As in ssh(1), a @revoked line revokes its key for the hosts it names.
        var revoked = entries.Where(e => e.Marker == "@revoked" && e.Matches(name)).Select(e => e.KeyLine).ToHashSet(StringComparer.Ordinal);
        return entries
            .Where(e => e.Marker is null && e.Matches(name) && !revoked.Contains(e.KeyLine))
            .ToArray();
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
