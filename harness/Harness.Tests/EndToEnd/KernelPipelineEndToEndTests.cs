using Harness.Cli;
using Harness.Config;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;
using NUnit.Framework;

namespace Harness.Tests.EndToEnd;

/// <summary>
/// The real thing: the series from kernel-patches/ applied to Debian's 6.12 tree and an x86_64 kernel
/// built through the stages, in the real cache (~/.cache/harness, so a warm cache makes it quick).
/// HARNESS_TEST_RUN_CONFIG may name another run config (for a series that is not committed yet).
/// </summary>
[Category("EndToEnd")]
public class KernelPipelineEndToEndTests
{
    [Test, CancelAfter(3_600_000)]
    public async Task Applies_the_real_series_to_linux_6_12_and_builds_an_x86_64_kernel(CancellationToken cancellationToken)
    {
        var configFile = Environment.GetEnvironmentVariable("HARNESS_TEST_RUN_CONFIG");
        var config = CommonOptions.Load(configFile, ["x86_64"]);
        var output = Path.Combine(Path.GetTempPath(), "harness-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        var context = new StageContext(config with { OutputDirectory = output }, ProjectLayout.Locate(), new CacheLayout(config.CacheDirectory),
            new ProcessRunner(), Path.Combine(output, "run"), new ConsoleProgressSink());
        var series = SeriesReader.Read(config.SeriesDirectory);

        var result = await KernelPipeline.RunAsync(context, [AppliedVariant.Patched], cancellationToken);

        var patched = result.Variants.Single(v => v.Name == AppliedVariant.Patched);
        Assert.That(patched.Patches.Select(p => p.Name), Is.EqualTo(series.Patches.Select(p => p.Name)));
        var kernel = result.Kernel(AppliedVariant.Patched, "x86_64");
        // A bzImage carries the "HdrS" boot protocol signature at 0x202.
        var header = new byte[4];
        await using (var image = File.OpenRead(kernel.Image))
        {
            image.Seek(0x202, SeekOrigin.Begin);
            await image.ReadExactlyAsync(header, cancellationToken);
        }
        Assert.That(System.Text.Encoding.ASCII.GetString(header), Is.EqualTo("HdrS"));
        Assert.That(new FileInfo(kernel.Vmlinux).Length, Is.GreaterThan(1_000_000));
        var fragments = config.KconfigFragments.Concat(config.Arches[0].KconfigFragments).Select(f => Path.Combine(config.KconfigDirectory, f));
        var requests = fragments.SelectMany(f => KconfigFragment.Parse(f, File.ReadAllText(f)));
        Assert.That(KconfigChecker.Check(requests, await File.ReadAllTextAsync(kernel.Config, cancellationToken), _ => []), Is.Empty);

        var again = await KernelPipeline.RunAsync(context, [AppliedVariant.Patched], cancellationToken);

        Assert.That(again.Kernel(AppliedVariant.Patched, "x86_64").FromCache, Is.True);
        Assert.That(again.Kernel(AppliedVariant.Patched, "x86_64").Image, Is.EqualTo(kernel.Image));
        Directory.Delete(output, recursive: true);
    }
}
