using System.CommandLine;
using Harness.Bench;

namespace Harness.Cli;

/// <summary>
/// `harness bench`: measures boot-to-SSH, programs per second, the warm run and patch-to-verdict on this
/// machine, each beside the plain way (bash loops of qemu and ssh), and writes bench.json and bench.md into
/// results/bench-&lt;timestamp&gt;/. Needs one `harness run` before (it measures the warm case).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var arch = CommonOptions.Arch();
        var boots = new Option<int>("--boots") { Description = "Boots per arch and way (harness, plain loop)", DefaultValueFactory = _ => 5 };
        var steps = new Option<string[]>("--steps")
        {
            Description = $"Measurements to take (default: all): {string.Join(", ", BenchSteps.All)}",
            AllowMultipleArgumentsPerToken = true,
        };
        steps.AcceptOnlyFromAmong(BenchSteps.All);
        var cold = new Option<bool>("--cold") { Description = "Also time cold kernel and image builds in a temporary cache (10+ minutes each)" };
        var command = new Command("bench", "Measure boot, load and run times beside the plain qemu + ssh way; write bench.json and bench.md");
        foreach (var option in new Option[] { config, arch, boots, steps, cold }) command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var run = CommonOptions.Load(parse.GetValue(config), parse.GetValue(arch));
            if (parse.GetValue(boots) < 1) throw new Errors.BadInputException($"--boots {parse.GetValue(boots)}: give at least 1.");
            var args = new List<string> { "bench", "--boots", parse.GetValue(boots).ToString() };
            if (parse.GetValue(config) is { } c) args.AddRange(["--config", c]);
            if (parse.GetValue(arch) is { Length: > 0 } a) args.AddRange(["--arch", string.Join(',', a)]);
            var chosen = parse.GetValue(steps) is { Length: > 0 } st ? st : BenchSteps.All;
            if (parse.GetValue(steps) is { Length: > 0 }) args.AddRange(["--steps", .. chosen]);
            if (parse.GetValue(cold)) args.Add("--cold");
            CommandRunner.PrintReproduceLine(args);
            // The plain way it measures against is bash scripts of qemu and ssh.
            Processes.HostPrograms.Check(Processes.HostPrograms.For(run).Append("bash").Append("ssh"), run.Arches);

            var directory = Path.Combine(run.OutputDirectory, $"bench-{DateTime.Now:yyyyMMdd-HHmmss}");
            if (Directory.Exists(directory)) directory += $"-{Environment.ProcessId}";
            Directory.CreateDirectory(Path.Combine(directory, "logs"));
            var context = new Pipeline.StageContext(run, Config.ProjectLayout.Locate(), new Config.CacheLayout(run.CacheDirectory),
                new Processes.ProcessRunner(), directory, new Pipeline.ConsoleProgressSink());
            var result = await BenchPipeline.RunAsync(context, new BenchOptions(parse.GetValue(boots), parse.GetValue(cold), chosen), token);
            var markdown = BenchReport.Markdown(result);
            await File.WriteAllTextAsync(Path.Combine(context.RunDirectory, "bench.json"), BenchReport.Json(result), token);
            await File.WriteAllTextAsync(Path.Combine(context.RunDirectory, "bench.md"), markdown, token);
            Console.WriteLine(markdown);
            Console.WriteLine($"bench: {context.RunDirectory}/bench.json");
            return result.Failures.Count > 0 ? Errors.ExitCodes.InfrastructureError : 0;
        }, ct));
        return command;
    }
}
