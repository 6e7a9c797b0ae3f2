using System.Text;
using System.Text.RegularExpressions;
using Harness.Processes;
using NUnit.Framework;

namespace Harness.Tests.Patches.Import;

/// <summary>Fixture paths, the archive's mangling, and a throwaway git repository to try patches in.</summary>
internal static partial class ImportFixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([TestContext.CurrentContext.TestDirectory, "Fixtures", "Patches", "Import", .. parts]);

    /// <summary>A shallow tree: only kernel/bpf/verifier.c of Debian's 6.12.117.</summary>
    public static string Tree => Path("tree-6.12");

    public static string Read(string name) => File.ReadAllText(Path(name));

    /// <summary>
    /// What the web archive does to a patch: every body line loses its leading whitespace (context lines their
    /// space marker too), added/removed lines keep one space where their indentation was, runs of spaces in
    /// context collapse, and the signature's trailing space goes.
    /// </summary>
    public static string Mangle(string patch)
    {
        var output = new StringBuilder();
        var inHunk = false;
        foreach (var line in patch.Split('\n'))
        {
            if (line.StartsWith("@@")) inHunk = true;
            else if (line.StartsWith("diff --git") || line == "-- ") inHunk = false;
            if (!inHunk || line.StartsWith("@@")) { output.Append(line == "-- " ? "--" : line).Append('\n'); continue; }
            if (line.StartsWith('+') || line.StartsWith('-'))
            {
                var content = line[1..];
                var trimmed = content.TrimStart();
                output.Append(line[0]).Append(trimmed.Length < content.Length && trimmed.Length > 0 ? " " : "").Append(trimmed);
            }
            else output.Append(SpaceRuns().Replace(line.Trim(), " "));
            output.Append('\n');
        }
        return output.ToString();
    }

    /// <summary>The archive's header layout: subject line, "From: Name", a hypermail date, emails redacted.</summary>
    public static string AsArchiveCopy(string mbox)
    {
        var lines = mbox.Split('\n').ToList();
        var subject = lines.First(l => l.StartsWith("Subject: "))["Subject: ".Length..];
        var name = lines.First(l => l.StartsWith("From: "))["From: ".Length..].Split('<')[0].Trim();
        var body = lines.SkipWhile(l => l.Trim() != "").Skip(1)
            .Select(l => Regex.Replace(l, @"@[\w.-]+>", "@xxxxxxxxxx>"));
        return $"{subject}\n\nFrom: {name}\nDate: Tue May 07 2024 - 09:33:38 EST\n\n\n" + string.Join("\n", body);
    }

    /// <summary>The lines between the first "diff --git" and the signature, index lines left out.</summary>
    public static string DiffPart(string patch) =>
        string.Join("\n", patch.Split('\n').SkipWhile(l => !l.StartsWith("diff --git")).TakeWhile(l => l != "-- ")
            .Where(l => !l.StartsWith("index ")));

    public static IEnumerable<string> AddedLines(string patch) =>
        patch.Split('\n').SkipWhile(l => !l.StartsWith("@@")).Where(l => l.StartsWith('+') && !l.StartsWith("+++"));

    [GeneratedRegex(" {2,}")]
    private static partial Regex SpaceRuns();
}

/// <summary>A git repository in a temp directory holding a copy of a tree, deleted on dispose.</summary>
internal sealed class ScratchRepo : IAsyncDisposable
{
    private readonly IProcessRunner _runner = new ProcessRunner();
    public string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "harness-import-" + Guid.NewGuid().ToString("N")[..8]);

    public static async Task<ScratchRepo> CreateAsync(string tree, CancellationToken ct)
    {
        var repo = new ScratchRepo();
        foreach (var file in System.IO.Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(repo.Directory, System.IO.Path.GetRelativePath(tree, file));
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        await repo.GitAsync(ct, "init", "-q");
        await repo.GitAsync(ct, "add", "-A");
        await repo.GitAsync(ct, "commit", "-qm", "base");
        return repo;
    }

    public async Task<ProcessResult> GitAsync(CancellationToken ct, params string[] args)
    {
        var spec = ProcessSpec.Of("git", ["-c", "user.name=Harness Test", "-c", "user.email=harness@example.org", .. args]) with
        {
            WorkingDirectory = Directory,
        };
        return (await _runner.RunAsync(spec, ct)).EnsureSuccess();
    }

    public async Task<ProcessResult> TryGitAsync(CancellationToken ct, params string[] args) =>
        await _runner.RunAsync(ProcessSpec.Of("git", args) with { WorkingDirectory = Directory }, ct);

    public async Task<string> WriteAsync(string name, string text, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(Directory, "..", System.IO.Path.GetFileName(Directory) + "-" + name);
        await File.WriteAllTextAsync(path, text, ct);
        return System.IO.Path.GetFullPath(path);
    }

    public ValueTask DisposeAsync()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        foreach (var f in System.IO.Directory.EnumerateFiles(System.IO.Path.GetTempPath(), System.IO.Path.GetFileName(Directory) + "-*"))
            File.Delete(f);
        return ValueTask.CompletedTask;
    }
}
