using System.Text.RegularExpressions;

namespace Harness.Build;

/// <summary>The first error of a failed build: where (when a compiler or linker said so) and what.</summary>
public sealed record BuildError(string? File, int? Line, int? Column, string Message, IReadOnlyList<string> Context)
{
    public string Location => File is null ? "" : Line is null ? File : Column is null ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}

/// <summary>
/// Finds the first error in a kernel build log (LC_ALL=C). With -j the log interleaves jobs, but the
/// first compiler error is what the user must fix first; make's "*** ... Error" lines only echo it.
/// </summary>
public static partial class BuildErrorParser
{
    [GeneratedRegex(@"^(?<file>[^\s:][^:]*):(?<line>\d+):(?:(?<col>\d+):)? (?:fatal )?error: (?<message>.*)$")]
    private static partial Regex CompilerError();

    [GeneratedRegex(@"^(?:\S*ld(?:\.bfd)?|\S+\.o): .*(?:undefined reference|multiple definition|cannot find|error).*$")]
    private static partial Regex LinkerError();

    [GeneratedRegex(@"^(?<file>[^\s:]+):(?<line>\d+): \*\*\* (?<message>.*)$")]
    private static partial Regex MakefileError();

    [GeneratedRegex(@"^make(?:\[\d+\])?: \*\*\* (?<message>.*)$")]
    private static partial Regex MakeError();

    [GeneratedRegex(@"^(?<file>[^\s:][^:]*): In (?:function|member function|static function) ")]
    private static partial Regex InFunction();

    public static BuildError? FirstError(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (CompilerError().Match(lines[i]) is { Success: true } c)
            {
                var context = new List<string>();
                if (i > 0 && InFunction().IsMatch(lines[i - 1])) context.Add(lines[i - 1]);
                context.Add(lines[i]);
                // gcc's source excerpt: "17296 | static int ..." and the caret line "      |   ^~~".
                for (var k = i + 1; k < lines.Count && k <= i + 4 && lines[k].Contains(" | "); k++) context.Add(lines[k]);
                return new BuildError(c.Groups["file"].Value, int.Parse(c.Groups["line"].Value),
                    c.Groups["col"].Success ? int.Parse(c.Groups["col"].Value) : null, c.Groups["message"].Value, context);
            }
            if (LinkerError().IsMatch(lines[i]))
                return new BuildError(null, null, null, lines[i], [lines[i]]);
            if (MakefileError().Match(lines[i]) is { Success: true } m && !MakeError().IsMatch(lines[i]))
                return new BuildError(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), null, m.Groups["message"].Value, [lines[i]]);
        }
        // Nothing a compiler or linker said: the first make failure names at least the target.
        var make = lines.FirstOrDefault(l => MakeError().IsMatch(l));
        return make is null ? null : new BuildError(null, null, null, MakeError().Match(make).Groups["message"].Value, [make]);
    }
}
