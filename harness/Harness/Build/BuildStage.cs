using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Harness.Config;
using Harness.Errors;
using Harness.Kconfig;
using Harness.Patches;
using Harness.Pipeline;
using Harness.Processes;
using Harness.Tree;

namespace Harness.Build;

/// <summary>
/// Stage 4: build one variant for one arch in the reused O= directory of (tree, arch), with ccache,
/// and keep the result under kernels/ARCH/KEY. A kernel whose key exists is not built again.
/// </summary>
public static class BuildStage
{
    /// <summary>The build log beside the build directory and in the finished kernel's directory.</summary>
    public const string BuildLogName = "build.log";

    public static async Task<KernelArtifacts> RunAsync(StageContext context, KernelTree tree, AppliedVariant variant, ArchConfig arch,
        KernelConfiguration configuration, CancellationToken cancellationToken)
    {
        Toolchain.Check(arch);
        var started = Stopwatch.StartNew();
        var compiler = await Toolchain.CompilerVersionAsync(context.Runner, arch, cancellationToken);
        var key = Hash($"{variant.TreeHash}\n{arch.Name}\n{arch.ImageTarget}\n{compiler}\n{configuration.Text}")[..16];
        var kernel = context.Cache.Kernel(arch.Name, key);
        if (Directory.Exists(kernel))
        {
            if (KernelEntryProblem(arch, kernel) is not { } problem)
            {
                context.Progress.Stage(arch.Name, "build", $"{variant.Name}: cached kernel {kernel}");
                return Artifacts(kernel, arch, variant, key, fromCache: true, started.Elapsed);
            }
            context.Progress.Stage(arch.Name, "build", $"{variant.Name}: cached kernel {kernel} is damaged ({problem}); building it again");
            Directory.Delete(kernel, recursive: true);
        }

        var output = context.Cache.BuildDirectory(tree.Key, arch.Name);
        var log = context.LogFile($"build-{variant.Name}-{arch.Name}");
        using (await CacheLock.AcquireAsync(context.Cache.Lock($"{tree.Key}-build"), context.Progress, cancellationToken))
        {
            var source = context.Cache.Worktree(tree.Key, "build");
            await HarnessWorktree.CheckoutAsync(PrepareLimit.For(context, "checkout of the build worktree"), tree, source, variant.Commit, context.LogFile("apply"), context.Progress, cancellationToken);
            Directory.CreateDirectory(output);
            await WriteIfChangedAsync(Path.Combine(output, ".config"), configuration.Text, cancellationToken);
            if (File.Exists(log)) File.Delete(log);

            context.Progress.Stage(arch.Name, "build", $"{variant.Name}: make {arch.ImageTarget} in {output} (log: {log})");
            var spec = KernelMake.Spec(arch, context.Cache, source, output, [$"-j{Environment.ProcessorCount}", arch.ImageTarget], log,
                TimeSpan.FromSeconds(context.Config.Timeouts.Build));
            ProcessResult result;
            using (await KernelBuildSlot.EnterAsync(context.Progress, arch.Name, cancellationToken))
                result = await context.Runner.RunAsync(spec, cancellationToken);
            var kept = Path.Combine(output, BuildLogName);
            if (File.Exists(log)) File.Copy(log, kept, overwrite: true);
            if (!result.Succeeded)
                throw new InfrastructureException(DescribeFailure(arch, variant, source, kept, result.TimedOut, context.Config.Timeouts.Build));

            await KeepAsync(arch, output, kernel, cancellationToken);
        }
        context.Progress.Stage(arch.Name, "build", $"{variant.Name}: built in {started.Elapsed.TotalSeconds:F0} s: {kernel}");
        return Artifacts(kernel, arch, variant, key, fromCache: false, started.Elapsed);
    }

    /// <summary>Written last into a finished kernel directory: the size of each file (see <see cref="CacheIntegrity"/>).</summary>
    public const string CompleteMarker = ".complete";

    /// <summary>
    /// Why the kernel directory cannot be used, or null. Kernels kept before the marker existed are adopted when their
    /// files are there, non-empty, and vmlinux is a whole ELF file: the marker is written for them then.
    /// </summary>
    public static string? KernelEntryProblem(ArchConfig arch, string kernel)
    {
        foreach (var name in new[] { Path.GetFileName(arch.ImagePath), "vmlinux", ".config", "System.map" })
        {
            var file = new FileInfo(Path.Combine(kernel, name));
            if (!file.Exists || file.Length == 0) return $"{name} is {(file.Exists ? "empty" : "missing")}";
        }
        if (File.Exists(Path.Combine(kernel, CompleteMarker))) return CacheIntegrity.Problem(kernel, CompleteMarker);
        if (CacheIntegrity.ElfProblem(Path.Combine(kernel, "vmlinux")) is { } elf) return $"vmlinux: {elf}";
        CacheIntegrity.WriteMarker(kernel, CompleteMarker, $"{arch.Name} {Path.GetFileName(kernel)} (adopted)");
        return null;
    }

    private static KernelArtifacts Artifacts(string kernel, ArchConfig arch, AppliedVariant variant, string key, bool fromCache, TimeSpan duration) =>
        new(arch.Name, variant.Name, Path.Combine(kernel, Path.GetFileName(arch.ImagePath)), Path.Combine(kernel, "vmlinux"),
            Path.Combine(kernel, ".config"), key, fromCache, duration);

    /// <summary>Copies the kernel out of the build directory into a temporary sibling, then renames: a kernel directory is always complete.</summary>
    private static async Task KeepAsync(ArchConfig arch, string output, string kernel, CancellationToken cancellationToken)
    {
        var temporary = $"{kernel}.tmp-{Guid.NewGuid().ToString("N")[..8]}";
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var (from, name) in new[]
                     {
                         (arch.ImagePath, Path.GetFileName(arch.ImagePath)), ("vmlinux", "vmlinux"), (".config", ".config"),
                         ("System.map", "System.map"), (BuildLogName, BuildLogName),
                     })
            {
                var path = Path.Combine(output, from);
                if (!File.Exists(path))
                    throw new InfrastructureException($"make succeeded but {path} is missing. Check {arch.SourceFile}: image-path must be where '{arch.ImageTarget}' puts the image.");
                await using var source = File.OpenRead(path);
                await using var target = File.Create(Path.Combine(temporary, name));
                await source.CopyToAsync(target, cancellationToken);
            }
            CacheIntegrity.WriteMarker(temporary, CompleteMarker, $"{arch.Name} {Path.GetFileName(kernel)}");
            if (Directory.Exists(kernel)) Directory.Delete(kernel, recursive: true);
            Directory.Move(temporary, kernel);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    private static string DescribeFailure(ArchConfig arch, AppliedVariant variant, string source, string log, bool timedOut, int limitSeconds)
    {
        if (timedOut)
            return $"The {arch.Name} {variant.Name} kernel build passed the {limitSeconds} s limit (timeouts.build) and was stopped.\nFull log: {log}";
        var lines = File.Exists(log) ? File.ReadAllLines(log) : [];
        var error = BuildErrorParser.FirstError(lines);
        var text = new StringBuilder($"The {arch.Name} {variant.Name} kernel build failed");
        if (error is null) text.Append(" (no error line found in the log).");
        else
        {
            var file = error.File is { } f && f.StartsWith(source + "/", StringComparison.Ordinal) ? f[(source.Length + 1)..] : error.File;
            text.Append(file is null ? ":" : $" at {(error with { File = file }).Location}:");
            text.AppendLine().AppendLine($"  {error.Message}");
            foreach (var line in error.Context) text.AppendLine("  " + line);
        }
        text.AppendLine().Append($"Full log: {log}");
        return text.ToString().TrimEnd();
    }

    /// <summary>An identical rewrite would bump the mtime and make Kbuild re-run Kconfig and rebuild.</summary>
    private static async Task WriteIfChangedAsync(string path, string text, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == text) return;
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
