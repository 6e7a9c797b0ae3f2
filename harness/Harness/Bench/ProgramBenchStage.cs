using Harness.Run;
using System.Diagnostics;
using System.Globalization;
using Harness.Errors;
using Harness.Images;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Selftests;
using Harness.Verdicts;
using Harness.Vm;

namespace Harness.Bench;

/// <summary>
/// Programs verified per second on one arch, in one guest: the harness's way (one SSH session, one loader
/// command over a job file of every program, output parsed as GuestTestStage does) and the plain way (a bash loop, one
/// ssh connection per program running the loader with one --prog).
/// </summary>
public static class ProgramBenchStage
{
    private const string UptimeMarker = "HARNESS-BENCH-UPTIME";

    /// <summary>How often the harness's one-session load is repeated (the plain loop, 15 s a time, runs once).</summary>
    public const int Repetitions = 3;

    public static async Task<ProgramBench> RunAsync(StageContext context, BenchArchInputs inputs, CancellationToken cancellationToken)
    {
        var arch = inputs.Arch;
        var loader = inputs.Tools.LoaderImageFile;
        var timeout = TimeSpan.FromSeconds(Math.Max(context.Config.Timeouts.Command,
            context.Config.Timeouts.Program * Math.Max(1, inputs.LoaderPrograms.Count) / 4));
        await using var vm = await new GuestLauncher(context).RunAsync(arch, inputs.Kernel.Image, [loader], cancellationToken);
        var session = vm.Session;
        await session.RunAsync($"mkdir -p {LoaderPrograms.GuestObjectDirectory}", timeout, cancellationToken);
        foreach (var obj in inputs.Objects.Objects)
            await session.UploadAsync(obj, $"{LoaderPrograms.GuestObjectDirectory}/{Path.GetFileName(obj)}", cancellationToken);

        context.Progress.Stage(arch.Name, "bench", $"harness: {inputs.LoaderPrograms.Count} programs in one session");
        var jobFile = $"{LoaderPrograms.GuestObjectDirectory}/harness-jobs-bench.txt";
        var local = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(local, LoaderJob.File(inputs.LoaderPrograms), cancellationToken);
            await session.UploadAsync(local, jobFile, cancellationToken);
        }
        finally
        {
            File.Delete(local);
        }
        // The guest's own clock around the loader tells the loader's work from what SSH adds.
        var command = $"read a _ </proc/uptime; {GuestTools.LoaderGuestPath} --jobs {jobFile}; read b _ </proc/uptime; echo \"{UptimeMarker} $a $b\" >&2";
        // A few repetitions, keeping the one with the median overhead: one slow SSH round trip on a shared
        // machine should not decide the figure.
        var runs = new List<(double Host, double Guest)>();
        for (var i = 0; i < Repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            var loaded = await session.RunAsync(command, timeout, cancellationToken);
            var parsed = LoaderOutputParser.Parse(loaded.Stdout);
            var host = clock.Elapsed.TotalSeconds;
            var guest = GuestSeconds(loaded.Stderr)
                ?? throw new InfrastructureException($"The loader command on {arch.Name} printed no {UptimeMarker} line (exit {loaded.ExitCode}): {loaded.Stderr.Trim()}");
            context.Progress.Stage(arch.Name, "bench", $"harness: {parsed.Results.Count} results in {host:F2} s (guest {guest:F2} s)");
            runs.Add((host, guest));
        }
        var (harnessSeconds, guestSeconds) = runs.OrderBy(r => r.Host - r.Guest).ElementAt(runs.Count / 2);

        context.Progress.Stage(arch.Name, "bench", $"plain loop: one ssh per program ({inputs.LoaderPrograms.Count})");
        var spec = PlainScripts.Bash(PlainScripts.ProgramLoop(vm.SshCommandLine, GuestTools.LoaderGuestPath, inputs.LoaderPrograms.Select(j => $"{j.ObjectPath}:{j.Program}").ToArray()), timeout) with
        {
            LogFile = context.LogFile($"{arch.Name}-bench-plain-programs"),
        };
        var result = await context.Runner.RunAsync(spec, cancellationToken);
        var plain = PlainScripts.Elapsed(result.StandardOutput);
        if (!result.Succeeded || plain.Count != 1)
            throw new InfrastructureException($"The plain program loop for {arch.Name} failed (exit {result.ExitCode}): {string.Join(" / ", result.OutputTail.TakeLast(5))}. Log: {spec.LogFile}");
        return new ProgramBench(arch.Name, inputs.LoaderPrograms.Count, harnessSeconds, guestSeconds, plain[0]);
    }

    /// <summary>Seconds between the two /proc/uptime readings of the marker line.</summary>
    public static double? GuestSeconds(string stderr)
    {
        var line = stderr.Split('\n').LastOrDefault(l => l.StartsWith(UptimeMarker, StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 3 }) return null;
        return double.Parse(parts[2], CultureInfo.InvariantCulture) - double.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
