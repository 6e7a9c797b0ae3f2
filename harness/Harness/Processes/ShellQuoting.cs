using System.Text.RegularExpressions;

namespace Harness.Processes;

/// <summary>POSIX shell quoting, so logged command lines can be pasted into a terminal.</summary>
public static partial class ShellQuoting
{
    [GeneratedRegex(@"^[A-Za-z0-9_./:=+,@%-]+$")]
    private static partial Regex SafeWord();

    public static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
