using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Bench;

/// <summary>Renders a <see cref="BenchResult"/> as bench.json and as the short Markdown table (pure).</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Json(BenchResult result) => JsonSerializer.Serialize(result, Options) + "\n";

    public static BenchResult FromJson(string json) =>
        JsonSerializer.Deserialize<BenchResult>(json, Options) ?? throw new JsonException("bench.json is empty");

    public static string Markdown(BenchResult result)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {result.StartedAt:yyyy-MM-dd HH:mm} UTC ({result.Machine})").AppendLine();
        if (result.Boots.Count > 0)
        {
            md.AppendLine($"Boot to SSH ready, median of {result.BootsPerWay} boots (min-max), seconds:").AppendLine();
            md.AppendLine("| arch | accel | harness | plain loop | ratio (target <= 1.1) | kernel | init | guest ready | ssh ready |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var b in result.Boots)
                md.AppendLine($"| {b.Arch} | {b.Accelerator} | {S(b.Harness)} | {S(b.Plain)} | {F(b.Ratio)}x {Mark(b.Ratio <= BenchTargets.BootRatio)} | " +
                              $"{P(b, "kernel")} | {P(b, "init")} | {P(b, "guest-ready")} | {P(b, "ssh-ready")} |");
            md.AppendLine();
        }
        if (result.Programs.Count > 0)
        {
            md.AppendLine("Programs verified over SSH (harness: one session, one loader command; plain: one ssh per program):").AppendLine();
            md.AppendLine("| arch | programs | harness s | in guest s | plain s | harness prog/s | plain prog/s | harness overhead ms/prog (target < 10) | plain extra ms/prog |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var p in result.Programs)
                md.AppendLine($"| {p.Arch} | {p.Programs} | {F(p.HarnessSeconds)} | {F(p.GuestLoaderSeconds)} | {F(p.PlainSeconds)} | " +
                              $"{F(p.HarnessProgramsPerSecond, 1)} | {F(p.PlainProgramsPerSecond, 1)} | " +
                              $"{F(p.OverheadMillisecondsPerProgram, 1)} {Mark(p.OverheadMillisecondsPerProgram < BenchTargets.OverheadMillisecondsPerProgram)} | " +
                              $"{F(p.PlainExtraMillisecondsPerProgram, 1)} |");
            md.AppendLine();
        }
        if (result.Commands.Count > 0)
        {
            md.AppendLine("Whole commands, wall time:").AppendLine();
            md.AppendLine("| measured | seconds | target | exit | kernel stage per arch/variant | command |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var c in result.Commands)
            {
                var target = c.TargetSeconds is { } t ? $"< {F(t, 0)} s {Mark(c.Seconds < t)}" : "";
                var kernels = string.Join(", ", c.KernelSeconds.Select(k => $"{k.Key} {F(k.Value, 1)}"));
                md.AppendLine($"| {c.Name} | {F(c.Seconds, 1)} | {target} | {c.ExitCode} | {kernels} | `{c.Command}` |");
            }
            md.AppendLine();
        }
        foreach (var failure in result.Failures) md.AppendLine($"- NOT MEASURED: {failure}");
        foreach (var note in result.Notes) md.AppendLine($"- {note}");
        return md.ToString();
    }

    private static string S(Spread s) => $"{F(s.Median)} ({F(s.Min)}-{F(s.Max)})";

    private static string P(BootBench b, string phase) => b.Phases.TryGetValue(phase, out var s) ? F(s.Median) : "-";

    private static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Mark(bool met) => met ? "ok" : "MISSED";
}
