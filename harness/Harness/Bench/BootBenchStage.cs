using System.Diagnostics;
using Harness.Errors;
using Harness.Images;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Selftests;
using Harness.Vm;

namespace Harness.Bench;

/// <summary>
/// Boot-to-SSH-ready of one arch, N times through the harness's launcher and N times through a bash loop of
/// qemu + ssh with the same kernel, image and QEMU arguments (built by <see cref="QemuCommandLine"/>).
/// </summary>
public static class BootBenchStage
{
    public static async Task<BootBench> RunAsync(StageContext context, BenchArchInputs inputs, int boots, CancellationToken cancellationToken)
    {
        var arch = inputs.Arch;
        var loader = inputs.Tools.LoaderImageFile;
        var image = await ImageBuilder.For(context).RunAsync(new ImageRequest(arch, [loader]), cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("harness-bench-");
        try
        {
            // The probe's answer is remembered for the process: decide it before timing anything.
            var accelerator = await new KvmProbe(context.Runner).RunAsync(arch, inputs.Kernel.Image, scratch.FullName, cancellationToken);

            var harness = new List<double>();
            var phases = new Dictionary<string, List<double>>();
            for (var i = 0; i < boots; i++)
            {
                context.Progress.Stage(arch.Name, "bench", $"harness boot {i + 1}/{boots}");
                var clock = Stopwatch.StartNew();
                await using var vm = await new GuestLauncher(context).RunAsync(arch, inputs.Kernel.Image, [loader], cancellationToken);
                harness.Add(clock.Elapsed.TotalSeconds);
                Add(phases, "kernel", vm.Phases.KernelStarted);
                Add(phases, "init", vm.Phases.InitStarted);
                Add(phases, "guest-ready", vm.Phases.GuestReady);
                Add(phases, "ssh-ready", vm.Phases.SshReady);
            }

            context.Progress.Stage(arch.Name, "bench", $"plain loop: {boots} boots of qemu + ssh");
            var plainBoots = Enumerable.Range(0, boots).Select(i =>
            {
                var port = FreePort.Pick();
                var launch = new QemuLaunch(inputs.Kernel.Image, image.Initramfs, accelerator.Accelerator, port,
                    Path.Combine(scratch.FullName, $"plain-console-{i}.log"));
                return (port, QemuCommandLine.Build(arch.Qemu, launch).CommandLine, new Ssh.HostKeyPin(image.HostPublicKey).KnownHostsLine("127.0.0.1", port));
            }).ToArray();
            var script = PlainScripts.BootLoop(plainBoots, image.ClientPrivateKeyFile, Path.Combine(scratch.FullName, "known_hosts"),
                context.Config.Timeouts.Boot);
            var spec = PlainScripts.Bash(script, TimeSpan.FromSeconds(context.Config.Timeouts.Boot * (boots + 1))) with
            {
                LogFile = context.LogFile($"{arch.Name}-bench-plain-boots"),
            };
            var result = await context.Runner.RunAsync(spec, cancellationToken);
            var plain = PlainScripts.Elapsed(result.StandardOutput);
            if (!result.Succeeded || plain.Count != boots)
                throw new InfrastructureException(
                    $"The plain boot loop for {arch.Name} failed (exit {result.ExitCode}, {plain.Count}/{boots} boots): {string.Join(" / ", result.OutputTail.TakeLast(5))}. Log: {spec.LogFile}");

            return new BootBench(arch.Name, accelerator.Accelerator, Spread.Of(harness), Spread.Of(plain),
                phases.ToDictionary(p => p.Key, p => Spread.Of(p.Value)));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void Add(Dictionary<string, List<double>> phases, string name, TimeSpan? value)
    {
        if (value is not { } v) return;
        if (!phases.TryGetValue(name, out var list)) phases[name] = list = [];
        list.Add(v.TotalSeconds);
    }
}
