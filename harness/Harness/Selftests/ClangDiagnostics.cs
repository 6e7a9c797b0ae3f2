using System.Text.RegularExpressions;

namespace Harness.Selftests;

/// <summary>One "file:line:col: error: message" from clang.</summary>
public sealed record ClangError(string File, int Line, int Column, string Message, IReadOnlyList<string> Context)
{
    public string Location => $"{File}:{Line}:{Column}";
}

/// <summary>Reads clang's stderr. Pure: tested on captured clang output.</summary>
public static partial class ClangDiagnostics
{
    [GeneratedRegex(@"^(?<file>[^:\s][^:]*):(?<line>\d+):(?<col>\d+): (?:fatal )?error: (?<msg>.*)$")]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^[^:\s][^:]*:\d+:\d+: (?:warning|note|error|fatal error): ")]
    private static partial Regex AnyDiagnostic();

    /// <summary>The first error with the lines clang printed under it (the source line and caret), or null.</summary>
    public static ClangError? FirstError(string stderr)
    {
        var lines = stderr.Replace("\r", "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var m = ErrorLine().Match(lines[i]);
            if (!m.Success) continue;
            var context = lines.Skip(i + 1).TakeWhile(l => l.Length > 0 && !AnyDiagnostic().IsMatch(l)).Take(4).ToArray();
            return new ClangError(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value),
                int.Parse(m.Groups["col"].Value), m.Groups["msg"].Value, context);
        }
        return null;
    }
}
