using System.Text;
using Harness.Config;

namespace Harness.Bench;

/// <summary>
/// The "series changed in verifier.c only" input of the incremental benchmark (pure text): one extra git-am
/// patch that adds a comment line at the top of kernel/bpf/verifier.c, and a run config that uses the copied
/// series and keeps that patch out of the baseline too, so only the patched kernels rebuild (as when a
/// reviewer edits the patch under review).
/// </summary>
public static class IncrementalSeries
{
    public const string PatchName = "9999-bench-touch-verifier.patch";
    public const string FilePath = "kernel/bpf/verifier.c";

    /// <summary>A format-patch mail prepending <c>/* stamp */</c> to verifier.c, whose first lines are <paramref name="firstLines"/>.</summary>
    public static string Patch(IReadOnlyList<string> firstLines, string stamp)
    {
        var context = firstLines.Take(3).ToArray();
        var text = new StringBuilder();
        text.Append("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
        text.Append("From: Harness Bench <harness-bench@example.org>\n");
        text.Append("Date: Thu, 1 Jan 2026 00:00:00 +0000\n");
        text.Append("Subject: [PATCH] bench: touch verifier.c for an incremental rebuild\n\n");
        text.Append("---\n");
        text.Append($"diff --git a/{FilePath} b/{FilePath}\n");
        text.Append($"--- a/{FilePath}\n+++ b/{FilePath}\n");
        text.Append($"@@ -1,{context.Length} +1,{context.Length + 1} @@\n");
        text.Append($"+/* harness bench {stamp} */\n");
        foreach (var line in context) text.Append(' ').Append(line).Append('\n');
        text.Append("-- \n2.0\n\n");
        return text.ToString();
    }

    /// <summary>A run config equal to <paramref name="config"/> but for the series directory and the baseline's exclusions (absolute paths only).</summary>
    public static string RunConfigYaml(RunConfig config, string seriesDirectory, IReadOnlyList<string> baselineWithout)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("# Written by `harness bench` for the incremental rebuild; deleted afterwards.");
        yaml.AppendLine("tree:");
        switch (config.Tree)
        {
            case TreeSource.DebianPackage d: yaml.AppendLine($"  debian-package: {Q(d.Package)}"); break;
            case TreeSource.GitCheckout g: yaml.AppendLine($"  path: {Q(g.Path)}").AppendLine($"  ref: {Q(g.Ref)}"); break;
        }
        yaml.AppendLine($"series: {Q(seriesDirectory)}");
        yaml.AppendLine("baseline:");
        yaml.AppendLine($"  enabled: {(config.BaselineEnabled ? "true" : "false")}");
        yaml.AppendLine($"  without: [{string.Join(", ", baselineWithout.Select(Q))}]");
        yaml.AppendLine($"arches: [{string.Join(", ", config.Arches.Select(a => Q(a.Name)))}]");
        yaml.AppendLine($"selftests: {Q(config.SelftestsDirectory)}");
        if (config.ExpectationsFile is { } e) yaml.AppendLine($"expectations: {Q(e)}");
        yaml.AppendLine($"output: {Q(config.OutputDirectory)}");
        yaml.AppendLine($"cache: {Q(config.CacheDirectory)}");
        yaml.AppendLine("kconfig:");
        yaml.AppendLine($"  directory: {Q(config.KconfigDirectory)}");
        yaml.AppendLine($"  base: {Q(config.KconfigBase)}");
        yaml.AppendLine($"  fragments: [{string.Join(", ", config.KconfigFragments.Select(Q))}]");
        var t = config.Timeouts;
        yaml.AppendLine("timeouts:");
        yaml.AppendLine($"  build: {t.Build}\n  boot: {t.Boot}\n  command: {t.Command}\n  program: {t.Program}\n  prepare: {t.Prepare}");
        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Q(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
