using System.Security.Cryptography;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Reports;
using Harness.Selftests;

namespace Harness.Run;

/// <summary>Records what a run consumed (files with their SHA-256) and which tool versions produced it.</summary>
public static class RunInputsCollector
{
    public static RunInputs Inputs(StageContext context, KernelPipelineResult kernels, CompiledSelftests? objects)
    {
        var config = context.Config;
        var patched = kernels.Variants.FirstOrDefault(v => v.Name == Patches.AppliedVariant.Patched);
        var patchFiles = kernels.Variants.SelectMany(v => v.Patches).Select(p => Path.Combine(config.SeriesDirectory, p.Name))
            .Distinct().Where(File.Exists);
        var configFiles = new[] { config.SourceFile }
            .Concat(config.Arches.Select(a => a.SourceFile))
            .Concat(config.KconfigFragments.Concat(config.Arches.SelectMany(a => a.KconfigFragments)).Distinct()
                .Select(f => Path.Combine(config.KconfigDirectory, f)))
            .Concat(config.TreeSuites.Select(s => s.SourceFile))
            .Concat(config.TreeSuites.Select(s => s.ExpectationsFile).Prepend(config.ExpectationsFile).OfType<string>().Where(File.Exists));
        return new RunInputs
        {
            Tree = kernels.Tree.Description,
            TreeCommit = patched?.Commit ?? kernels.Tree.BaseCommit,
            Series = Path.GetFileName(config.SeriesDirectory),
            Patches = patchFiles.Select(Hash).ToArray(),
            ConfigFiles = configFiles.Where(File.Exists).Select(Hash).ToArray(),
            Selftests = objects?.Objects.Select(Hash).ToArray() ?? [],
            Baseline = config.BaselineEnabled && config.BaselineWithout.Count > 0
                ? $"series without {string.Join(", ", config.BaselineWithout)}" : "",
            // A bisect prefix's variant is named prefix-N: its patches are the ones this kernel has.
            SeriesInput = Patches.Inputs.SeriesInputReport.For(config.SeriesInput, config.SeriesDirectory, patched ?? kernels.Variants.LastOrDefault()),
            CostGrowth = config.CostGrowth,
        };
    }

    public static async Task<RunVersions> VersionsAsync(StageContext context, CancellationToken cancellationToken)
    {
        var git = await context.Runner.RunAsync(
            ProcessSpec.Of("git", "rev-parse", "HEAD") with { WorkingDirectory = context.Project.Root }, cancellationToken);
        var programs = new[] { "gcc", "clang-19", "bpftool" }
            .Concat(context.Config.Arches.Select(a => a.Qemu.Binary))
            .Concat(context.Config.Arches.Where(a => a.CrossCompile.Length > 0).Select(a => a.CrossCompile + "gcc"))
            .Distinct();
        var tools = new List<ToolVersion>();
        foreach (var program in programs)
        {
            try
            {
                var result = await context.Runner.RunAsync(ProcessSpec.Of(program, "--version"), cancellationToken);
                tools.Add(new ToolVersion(program, result.StandardOutput.Split('\n')[0].Trim()));
            }
            catch (Errors.InfrastructureException)
            {
                tools.Add(new ToolVersion(program, "not installed"));
            }
        }
        return new RunVersions { HarnessGitSha = git.Succeeded ? git.StandardOutput.Trim() : "", Tools = tools };
    }

    private static InputFile Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return new InputFile(path, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
