using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Faults;

/// <summary>
/// Harness runs side by side: the cache lock serializes work on one cache entry across processes, a lock a killed run
/// left is recovered (and said so), and two real runs at once never share a forwarded port or a run directory.
/// </summary>
[Category("Faults")]
[NonParallelizable]
public partial class ConcurrencyFaultTests
{
    [Test, CancelAfter(120_000)]
    public async Task A_lock_left_by_a_killed_run_is_recovered_and_said_so(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var (tree, baseCommit, series) = await ApplyingSeriesAsync(scratch, cancellationToken);
        var lockFile = new Harness.Config.CacheLayout(scratch.Cache).Lock($"{TreeStage.CheckoutKey(tree)}-apply");
        var dead = DeadPid();
        scratch.WriteFile(Path.GetRelativePath(scratch.Root, lockFile), $"{dead} bin/harness run (killed)\n");

        var result = await HarnessCli.RunAsync(["patch", "apply", "--config", scratch.Write(), "--tree", tree, "--base", baseCommit, "--series", series],
            cancellationToken, scratch.Temp);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"recovered {lockFile}: it was left by pid {dead} bin/harness run (killed), which is no longer running"));
        Assert.That(result.StandardError, Does.Not.Contain("waiting for another harness run"));
        Assert.That(File.ReadAllText(lockFile), Is.Empty, "a released lock names no holder");
    }

    [Test, CancelAfter(120_000)]
    public async Task A_second_process_waits_for_a_held_cache_lock_and_goes_on_when_it_is_released(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var (tree, baseCommit, series) = await ApplyingSeriesAsync(scratch, cancellationToken);
        var lockFile = new Harness.Config.CacheLayout(scratch.Cache).Lock($"{TreeStage.CheckoutKey(tree)}-apply");
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = await CacheLock.AcquireAsync(lockFile, new ConsoleProgressSink(), cancellationToken);

        var run = HarnessCli.RunAsync(["patch", "apply", "--config", scratch.Write(), "--tree", tree, "--base", baseCommit, "--series", series],
            cancellationToken, scratch.Temp, onLine: line => { if (line.Contains("waiting for another harness run to release")) waiting.TrySetResult(); });
        await Task.WhenAny(waiting.Task, run);
        Assert.That(waiting.Task.IsCompleted, run.IsCompleted ? (await run).Transcript() : "");
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        Assert.That(run.IsCompleted, Is.False, "the second process went on while the lock was held");
        held.Dispose();
        var result = await run;

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardOutput, Does.Contain("0001-change-the-verifier.patch: clean"));
    }

    /// <summary>Runs started together on one checkout and an empty cache: one clones it, the others wait (it used to crash on the rename).</summary>
    [Test, CancelAfter(180_000)]
    public async Task Three_runs_provisioning_the_same_checkout_at_once_all_succeed(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var (tree, baseCommit, series) = await ApplyingSeriesAsync(scratch, cancellationToken);
        var config = scratch.Write();

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HarnessCli.RunAsync(
            ["patch", "apply", "--config", config, "--tree", tree, "--base", baseCommit, "--series", series], cancellationToken, scratch.Temp)));

        Assert.Multiple(() =>
        {
            foreach (var result in results)
            {
                Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
                Assert.That(result.StandardOutput, Does.Contain("0001-change-the-verifier.patch: clean"));
            }
            Assert.That(Directory.GetDirectories(Path.Combine(scratch.Cache, "trees")), Has.Length.EqualTo(1), "one clone, no temporary left");
        });
    }

    /// <summary>Two warm `run --arch x86_64 --no-baseline` at once (about 15 s each alone), with one output directory or two configs.</summary>
    [TestCase(true), TestCase(false), CancelAfter(600_000)]
    [Category("EndToEnd")]
    public async Task Two_real_runs_at_once_never_share_a_port_or_a_run_directory_and_both_pass(bool sameConfigAndOutput, CancellationToken cancellationToken)
    {
        using var first = new ScratchConfig(realCache: true);
        using var second = new ScratchConfig(realCache: true);
        var outputs = sameConfigAndOutput ? new[] { first.Output, first.Output } : [first.Output, second.Output];
        var configs = sameConfigAndOutput ? new[] { first.Write(), first.Write() } : [first.Write(), second.Write()];
        var ports = new ConcurrentDictionary<string, string>(); // QEMU command line -> its hostfwd rule
        var shared = new ConcurrentBag<string>(); // hostfwd rules that two live QEMUs had in one sample
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var live = ProcessTable.Find(first.Root).Concat(ProcessTable.Find(second.Root)).Where(p => p.CommandLine.Contains("hostfwd="))
                    .Select(qemu => (qemu.CommandLine, Rule: HostForward().Match(qemu.CommandLine).Value)).ToList();
                foreach (var (commandLine, rule) in live) ports[commandLine] = rule;
                foreach (var rule in live.GroupBy(q => q.Rule).Where(g => g.Count() > 1)) shared.Add(rule.Key);
                await Task.Delay(100);
            }
        }, CancellationToken.None);

        var runs = Enumerable.Range(0, 2).Select(i => HarnessCli.RunAsync(
            ["run", "--config", configs[i], "--arch", "x86_64", "--no-baseline", "-o", outputs[i]], cancellationToken, (i == 0 ? first : second).Temp,
            limit: TimeSpan.FromMinutes(9))).ToArray();
        var results = await Task.WhenAll(runs);
        sampling.Cancel();
        await sampler;

        var runDirectories = results.Select(r => RunDirectory().Match(r.StandardOutput).Groups["dir"].Value).ToArray();
        Assert.Multiple(() =>
        {
            foreach (var result in results) Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
            Assert.That(runDirectories.Distinct().Count(), Is.EqualTo(2), string.Join(", ", runDirectories));
            foreach (var directory in runDirectories) Assert.That(File.Exists(Path.Combine(directory, "results.json")), directory);
            // Each run boots a guest for its programs, then one of its own for wq_null_map_start (known to oops the verifier).
            // A QEMU that lost the race for a port is started again on another, so more command lines may be seen; a port
            // freed by a guest may be taken by a later one, so sharing is judged among the QEMUs alive at one moment.
            Assert.That(ports.Values, Has.Count.GreaterThanOrEqualTo(4), "two guests per run, each seen with its port forwarding");
            Assert.That(shared, Is.Empty, "two live QEMUs forwarded one port");
            Assert.That(ports.Values, Has.All.StartWith("hostfwd=tcp:127.0.0.1:"), "forwarded on 127.0.0.1 only");
            Assert.That(ProcessTable.Containing(first.Root).Concat(ProcessTable.Containing(second.Root)), Is.Empty, "processes left");
            Assert.That(Directory.GetFileSystemEntries(first.Temp).Concat(Directory.GetFileSystemEntries(second.Temp)), Is.Empty, "temp left");
        });
    }

    /// <summary>A fake kernel tree with a base commit, and a series of one patch that applies onto it.</summary>
    private static async Task<(string Tree, string Base, string Series)> ApplyingSeriesAsync(ScratchConfig scratch, CancellationToken cancellationToken)
    {
        var repo = await FakeKernelTree.CreateAsync(scratch.File("linux"), cancellationToken);
        var baseCommit = await repo.RunAsync(cancellationToken, "rev-parse", "HEAD");
        repo.Write("kernel/bpf/verifier.c", "int verifier;\nint changed;\n");
        var change = await repo.CommitAllAsync("bpf: change the verifier", cancellationToken);
        await repo.FormatPatchAsync(change, scratch.File("series", "0001-change-the-verifier.patch"), cancellationToken);
        scratch.WriteFile("series/series", "0001-change-the-verifier.patch\n");
        scratch.Text = scratch.Text.Replace("without: [0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch]", "without: [0001-change-the-verifier.patch]");
        return (repo.Path, baseCommit.Trim(), scratch.File("series"));
    }

    private static int DeadPid()
    {
        var max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim());
        return Enumerable.Range(1, 1000).Select(i => max - i).First(p => !Directory.Exists($"/proc/{p}"));
    }

    [GeneratedRegex(@"hostfwd=tcp:[0-9.]+:\d+")]
    private static partial Regex HostForward();

    [GeneratedRegex(@"reports: (?<dir>\S+) \(exit")]
    private static partial Regex RunDirectory();
}
