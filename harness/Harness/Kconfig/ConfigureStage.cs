using System.Security.Cryptography;
using System.Text;
using Harness.Build;
using Harness.Config;
using Harness.Errors;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Tree;

namespace Harness.Kconfig;

/// <summary>A checked final .config for one variant and arch; <paramref name="ConfigFile"/> is the remembered copy in the cache.</summary>
public sealed record KernelConfiguration(string Arch, string Variant, string ConfigFile, string Text, bool FromCache);

/// <summary>
/// Stage 3: base config (tinyconfig) plus the fragments, olddefconfig, then a check that every requested
/// symbol stuck. Done in a scratch O= directory; the result is remembered per inputs (source tree,
/// fragments, arch, compiler), so a re-run runs no make at all. The source part of that key is only what
/// Kconfig reads (<see cref="KconfigInputs"/>), so patched and baseline usually share it.
/// </summary>
public static class ConfigureStage
{
    public static async Task<KernelConfiguration> RunAsync(StageContext context, KernelTree tree, AppliedVariant variant, ArchConfig arch,
        CancellationToken cancellationToken)
    {
        var config = context.Config;
        var fragments = config.KconfigFragments.Concat(arch.KconfigFragments)
            .Select(name => Path.Combine(config.KconfigDirectory, name))
            .Select(path => (Path: path, Text: File.Exists(path) ? File.ReadAllText(path)
                : throw new BadInputException($"{path}: Kconfig fragment not found (named in {config.SourceFile} or {arch.SourceFile}). Create it or remove it from the list.")))
            .ToArray();
        var requests = fragments.SelectMany(f => KconfigFragment.Parse(f.Path, f.Text)).ToArray();
        Toolchain.Check(arch);
        var compiler = await Toolchain.CompilerVersionAsync(context.Runner, arch, cancellationToken);

        var inputs = await KconfigInputs.HashAsync(new Git(context.Runner, tree.Repository), variant.Commit, cancellationToken);
        var key = Hash(string.Join("\n", new[] { inputs, arch.Name, arch.KernelArch, arch.CrossCompile, config.KconfigBase, compiler }
            .Concat(fragments.SelectMany(f => new[] { Path.GetFileName(f.Path), f.Text }))));
        var remembered = context.Cache.KernelConfig(arch.Name, key);
        if (File.Exists(remembered))
            return new KernelConfiguration(arch.Name, variant.Name, remembered, await File.ReadAllTextAsync(remembered, cancellationToken), FromCache: true);

        var source = context.Cache.Worktree(tree.Key, "build");
        var scratch = context.Cache.BuildDirectory(tree.Key, arch.Name) + ".kconfig";
        using (await CacheLock.AcquireAsync(context.Cache.Lock($"{tree.Key}-build"), context.Progress, cancellationToken))
        {
            await HarnessWorktree.CheckoutAsync(PrepareLimit.For(context, "checkout of the build worktree"), tree, source, variant.Commit, context.LogFile("apply"), context.Progress, cancellationToken);
            Directory.CreateDirectory(scratch);
            var log = context.LogFile($"configure-{variant.Name}-{arch.Name}");
            context.Progress.Stage(arch.Name, "configure", $"{variant.Name}: {config.KconfigBase} + {string.Join(" + ", fragments.Select(f => Path.GetFileName(f.Path)))}");
            await MakeAsync(context, arch, source, scratch, config.KconfigBase, log, cancellationToken);
            var dotConfig = Path.Combine(scratch, ".config");
            await File.WriteAllTextAsync(dotConfig, KconfigFragment.Merge(await File.ReadAllTextAsync(dotConfig, cancellationToken), requests), cancellationToken);
            await MakeAsync(context, arch, source, scratch, "olddefconfig", log, cancellationToken);
            var final = await File.ReadAllTextAsync(dotConfig, cancellationToken);

            var mismatches = KconfigChecker.Check(requests, final, KconfigDefinitions.In(source));
            if (mismatches.Count > 0)
                throw new BadInputException($"{arch.Name}, {variant.Name}: {KconfigChecker.Describe(mismatches, final)}\n(final .config: {dotConfig})");

            Directory.CreateDirectory(Path.GetDirectoryName(remembered)!);
            await File.WriteAllTextAsync(remembered + ".tmp", final, cancellationToken);
            File.Move(remembered + ".tmp", remembered, overwrite: true);
            return new KernelConfiguration(arch.Name, variant.Name, remembered, final, FromCache: false);
        }
    }

    private static async Task MakeAsync(StageContext context, ArchConfig arch, string source, string output, string target, string log, CancellationToken cancellationToken) =>
        (await context.Runner.RunAsync(KernelMake.Spec(arch, context.Cache, source, output, [target], log, TimeSpan.FromSeconds(context.Config.Timeouts.Build)),
            cancellationToken)).EnsureSuccess();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
