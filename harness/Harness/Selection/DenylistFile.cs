using System.Text.RegularExpressions;
using Harness.Errors;

namespace Harness.Selection;

/// <summary>
/// Reads a list of name patterns in the format of the tree's tools/testing/selftests/bpf/DENYLIST, DENYLIST.aarch64 and
/// DENYLIST.s390x (test_progs' parse_test_list_file): one pattern a line, leading and trailing blanks ignored, '#'
/// starts a comment, and the comment after a pattern is its reason. Unlike test_progs, a pattern with a blank inside
/// ("name reason" with the '#' forgotten) is refused rather than read as one odd name.
/// </summary>
public static partial class DenylistFile
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    /// <summary>Every pattern of <paramref name="path"/>; <paramref name="option"/> (--denylist, -a @) is named when the file is missing.</summary>
    public static IReadOnlyList<NamePattern> Read(string path, bool glob, string option)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{option} {path}: no such file. Give a file like the tree's tools/testing/selftests/bpf/DENYLIST: " +
                                        "one pattern a line (OBJECT, PROGRAM or OBJECT/PROGRAM, '*' matches any text), '#' before the reason.");
        return Parse(path, File.ReadAllText(path), glob);
    }

    public static IReadOnlyList<NamePattern> Parse(string file, string text, bool glob)
    {
        var patterns = new List<NamePattern>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var name = Path.GetFileName(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var hash = lines[i].IndexOf('#');
            var pattern = (hash >= 0 ? lines[i][..hash] : lines[i]).Trim();
            if (pattern.Length == 0) continue;
            var reason = hash >= 0 ? Blanks().Replace(lines[i][(hash + 1)..].Trim(), " ") : null;
            if (pattern.Any(char.IsWhiteSpace))
                throw new BadInputException($"{file}:{i + 1}: '{pattern}' has a blank inside. One pattern a line; put '#' before its reason: " +
                                            $"'{Blanks().Split(pattern)[0]}  # {string.Join(' ', Blanks().Split(pattern).Skip(1))}'.");
            try
            {
                patterns.Add(NamePattern.Parse(pattern, glob, $"{name}:{i + 1}", string.IsNullOrEmpty(reason) ? null : reason));
            }
            catch (BadInputException e)
            {
                // Name the file by its path, as every other bad line does.
                throw new BadInputException(e.Message.Replace($"{name}:{i + 1}:", $"{file}:{i + 1}:"), e);
            }
        }
        return patterns;
    }
}
