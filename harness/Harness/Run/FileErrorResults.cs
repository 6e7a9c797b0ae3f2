using Harness.Reports;
using Harness.Selftests;
using Harness.Verdicts;

namespace Harness.Run;

/// <summary>
/// A selftest file that gave no object (it did not compile) is one Error row of its own, "verifier_foo.bpf.o:(compile)",
/// carrying clang's first error: the file's programs are unknown without its BTF, and the run's other files still run.
/// An Error, not a Fail: the harness could not judge the file, so the run exits 2 like any other error.
/// </summary>
public static class FileErrorResults
{
    public static IReadOnlyList<ProgramResult> For(IReadOnlyList<FileError> errors) =>
        errors.Select(e => new ProgramResult(
            new ProgramExpectation { Object = e.Object, Program = e.Program, Section = "", Suite = e.Suite },
            new ProgramOutcome { Status = OutcomeStatus.Error, Reason = e.Reason },
            null)).ToArray();

    /// <summary>The run with a row per file error after its programs.</summary>
    public static ArchRun AddTo(ArchRun run, IReadOnlyList<FileError> errors) =>
        errors.Count == 0 ? run : run with { Programs = [.. run.Programs, .. For(errors)] };

    /// <summary>
    /// "2 files did not compile: verifier_a.c (x86_64), verifier_b.c (x86_64, arm64)", or null when every file compiled:
    /// the count the summary gives beside the verdicts, since a file error hides all the programs of its file.
    /// </summary>
    public static string? SummaryLine(RunResult run)
    {
        var files = run.AllPrograms.Where(p => p.Program.Expectation.Program == FileError.Compile)
            .GroupBy(p => Path.GetFileName(p.Program.Expectation.Object).Replace(".bpf.o", ".c", StringComparison.Ordinal))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(p => p.Run.Arch).Distinct())})")
            .ToArray();
        return files.Length == 0 ? null : $"{Words.Count(files.Length, "file", "files")} did not compile: {string.Join(", ", files)}";
    }
}
