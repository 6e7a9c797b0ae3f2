using System.Security.Cryptography;
using System.Text;

namespace Harness.Selftests;

/// <summary>
/// Short SHA-256 keys for cache entries: the same inputs give the same directory, any changed byte a new one.
/// </summary>
public static class ContentHash
{
    /// <summary>Hash of strings (command-line flags, versions), each length-prefixed so "ab","c" differs from "a","bc".</summary>
    public static string OfStrings(params string[] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts) AppendString(sha, part);
        return Hex(sha.GetHashAndReset());
    }

    /// <summary>Hash of files' names (relative to <paramref name="root"/>) and contents, in ordinal name order.</summary>
    public static string OfFiles(string root, IEnumerable<string> files, params string[] extra)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in extra) AppendString(sha, part);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            AppendString(sha, Path.GetRelativePath(root, file));
            var bytes = File.ReadAllBytes(file);
            AppendString(sha, bytes.Length.ToString());
            sha.AppendData(bytes);
        }
        return Hex(sha.GetHashAndReset());
    }

    /// <summary>Hash of one file's contents.</summary>
    public static string OfFile(string file) => OfFiles(Path.GetDirectoryName(file) ?? ".", [file]);

    private static void AppendString(IncrementalHash sha, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        sha.AppendData(BitConverter.GetBytes(bytes.Length));
        sha.AppendData(bytes);
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash)[..16];
}
