using Harness.Bench;
using Harness.Config;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Bench;

public class IncrementalSeriesTests
{
    [Test, CancelAfter(30_000)]
    public async Task The_touch_patch_applies_with_git_am_and_adds_only_a_comment_line(CancellationToken cancellationToken)
    {
        using var temp = new TempDirectory();
        var repo = await GitRepo.InitAsync(temp.Combine("tree"), cancellationToken);
        var original = "// SPDX-License-Identifier: GPL-2.0-only\n/* Copyright (c) 2011-2014 PLUMgrid */\n#include <uapi/linux/btf.h>\nint x;\n";
        repo.Write(IncrementalSeries.FilePath, original);
        await repo.CommitAllAsync("base", cancellationToken);
        var patch = temp.Write("touch.patch", IncrementalSeries.Patch(original.Split('\n'), "2026-11-25T04:30:00Z"));

        await repo.RunAsync(cancellationToken, "am", "--3way", patch);

        var touched = await File.ReadAllTextAsync(Path.Combine(repo.Path, IncrementalSeries.FilePath), cancellationToken);
        Assert.That(touched, Is.EqualTo("/* harness bench 2026-11-25T04:30:00Z */\n" + original));
    }

    [Test]
    public void The_written_run_config_reads_back_with_the_touched_series_and_the_baseline_exclusions()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("series"));
        Directory.CreateDirectory(temp.Combine("selftests"));
        temp.Write("expectations.yaml", "# overlay\n");
        var config = new RunConfig
        {
            SourceFile = "run.yaml",
            Tree = new TreeSource.DebianPackage("linux-source-6.12"),
            SeriesDirectory = temp.Combine("series"),
            BaselineWithout = ["0002-a.patch"],
            BaselineEnabled = true,
            Arches = [Checkout.Arch("x86_64"), Checkout.Arch("arm64")],
            SelftestsDirectory = temp.Combine("selftests"),
            ExpectationsFile = temp.Combine("expectations.yaml"),
            OutputDirectory = temp.Combine("results"),
            CacheDirectory = temp.Combine("cache"),
            KconfigDirectory = Path.Combine(Checkout.Layout.ConfigsDirectory, "kconfig"),
            KconfigBase = "tinyconfig",
            KconfigFragments = ["base.config"],
            Timeouts = new Timeouts(3600, 120, 300, 120),
        };
        var yaml = temp.Write("touched.yaml", IncrementalSeries.RunConfigYaml(config, temp.Combine("series"), ["0002-a.patch", IncrementalSeries.PatchName]));

        var back = RunConfigReader.Read(yaml, Checkout.Arches);

        Assert.That(back.SeriesDirectory, Is.EqualTo(temp.Combine("series")));
        Assert.That(back.BaselineWithout, Is.EqualTo(new[] { "0002-a.patch", IncrementalSeries.PatchName }));
        Assert.That(back.Arches.Select(a => a.Name), Is.EqualTo(new[] { "x86_64", "arm64" }));
        Assert.That((back.CacheDirectory, back.OutputDirectory, back.ExpectationsFile), Is.EqualTo((config.CacheDirectory, config.OutputDirectory, config.ExpectationsFile)));
        Assert.That(back.Timeouts, Is.EqualTo(config.Timeouts));
        Assert.That(back.KconfigFragments, Is.EqualTo(new[] { "base.config" }));
    }
}
