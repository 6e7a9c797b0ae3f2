using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// `harness run` when the infrastructure breaks: a series that does not compile, a guest that cannot boot in
/// time. Each must exit 2 and name the cause, never pass and never hang. Real tree, real build, real QEMU.
/// </summary>
[Category("EndToEnd")]
[Category("Faults")]
[NonParallelizable]
public class RunFailureEndToEndTests
{
    /// <summary>A patch putting an #error on top of the file the series creates (its first two lines as context).</summary>
    private static string BrokenPatch(string line1, string line2) => $"""
        From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
        From: Harness Developers <harness-dev@example.org>
        Date: Wed, 25 Nov 2026 00:00:00 +0000
        Subject: [PATCH] bpf: break the build on purpose (harness test)

        Signed-off-by: Harness Developers <harness-dev@example.org>
        ---
        diff --git a/kernel/bpf/async_kfunc_test.c b/kernel/bpf/async_kfunc_test.c
        --- a/kernel/bpf/async_kfunc_test.c
        +++ b/kernel/bpf/async_kfunc_test.c
        @@ -1,2 +1,3 @@
        +#error "harness: broken on purpose"
         {line1}
         {line2}
        -- 
        2.39.5

        """;

    [Test, CancelAfter(3_600_000)]
    public async Task A_series_that_does_not_compile_exits_2_naming_the_file_and_line(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        using var series = new TempDirectory();
        var project = Harness.Config.ProjectLayout.Locate();
        var ours = Path.Combine(project.Root, "kernel-patches", "async-kfunc-suffixes");
        foreach (var file in Directory.GetFiles(ours, "*.patch")) File.Copy(file, series.Combine(Path.GetFileName(file)));
        var names = File.ReadAllLines(Path.Combine(ours, "series")).Where(l => l.Trim().Length > 0 && !l.StartsWith('#')).ToList();
        var firstLines = await FirstLinesOfTestKfuncFileAsync(series.Path, names);
        series.Write("9999-break-the-build.patch", BrokenPatch(firstLines[0], firstLines[1]));
        File.WriteAllLines(series.Combine("series"), names.Append("9999-break-the-build.patch"));

        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(TextWriter.Synchronized(new TeeWriter(original, stderr)));
        int exitCode;
        try
        {
            exitCode = await Program.Main(["run", "--arch", "x86_64", "--no-baseline", "--series", series.Path, "--output", output.Path]);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(stderr.ToString(), Does.Contain("kernel/bpf/async_kfunc_test.c:1"));
            Assert.That(stderr.ToString(), Does.Contain("broken on purpose"));
        });
    }

    [Test, CancelAfter(1_800_000)]
    public async Task A_guest_that_does_not_boot_in_time_exits_2_with_the_console_tail(CancellationToken cancellationToken)
    {
        using var output = new TempDirectory();
        var project = Harness.Config.ProjectLayout.Locate();
        var config = File.ReadAllText(project.DefaultRunConfig)
            .Replace("boot: 120", "boot: 1")
            .Replace("../", project.Root + "/");
        var file = output.Write("run.yaml", config.Replace("directory: kconfig", $"directory: {project.ConfigsDirectory}/kconfig"));

        var exitCode = await Program.Main(["run", "--config", file, "--arch", "x86_64", "--no-baseline", "--output", output.Path]);

        var summary = File.ReadAllText(Path.Combine(output.Path, "latest", "summary.md"));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.InfrastructureError));
            Assert.That(summary, Does.Contain("boot limit of 1 s"));
        });
    }

    private static async Task<string[]> FirstLinesOfTestKfuncFileAsync(string seriesDirectory, IReadOnlyList<string> names)
    {
        // The file is created by the series: its first lines are the added lines of that patch's new-file hunk.
        foreach (var name in names)
        {
            var text = await File.ReadAllTextAsync(Path.Combine(seriesDirectory, name));
            var at = text.IndexOf("+++ b/kernel/bpf/async_kfunc_test.c", StringComparison.Ordinal);
            if (at < 0) continue;
            var lines = text[at..].Split('\n').Skip(2).Take(2).Select(l => l[1..]).ToArray();
            return lines;
        }
        throw new InvalidOperationException("no patch of the series creates kernel/bpf/async_kfunc_test.c");
    }

    /// <summary>Writes to two writers: the test's output stays visible while the test reads it.</summary>
    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override System.Text.Encoding Encoding => first.Encoding;
        public override void Write(char value) { first.Write(value); second.Write(value); }
        public override void Write(string? value) { first.Write(value); second.Write(value); }
        public override void WriteLine(string? value) { first.WriteLine(value); second.WriteLine(value); }
    }
}
