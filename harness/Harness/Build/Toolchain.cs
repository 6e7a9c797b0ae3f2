using Harness.Config;
using Harness.Errors;
using Harness.Processes;

namespace Harness.Build;

/// <summary>The host programs a kernel build for one arch needs, checked before anything runs.</summary>
public static class Toolchain
{
    /// <summary>The C compiler for <paramref name="arch"/>: gcc, or the cross prefix plus gcc.</summary>
    public static string Compiler(ArchConfig arch) => arch.CrossCompile + "gcc";

    public static IReadOnlyList<string> RequiredPrograms(ArchConfig arch) =>
        ["make", Compiler(arch), "flex", "bison", "bc", "pahole", "ccache"];

    /// <summary>Throws <see cref="InfrastructureException"/> naming every missing program and its Debian package.</summary>
    public static void Check(ArchConfig arch, Func<string, bool>? isInstalled = null)
    {
        isInstalled ??= program => FindOnPath(program) is not null;
        var missing = RequiredPrograms(arch).Where(p => !isInstalled(p)).ToArray();
        if (missing.Length == 0) return;
        throw new InfrastructureException(
            $"Cannot build the {arch.Name} kernel: {string.Join(", ", missing)} not found on PATH.\n" +
            string.Join("\n", missing.Select(p => $"  {p}: {MissingPrograms.Hint(p)}")));
    }

    /// <summary>The first line of `CC --version`: part of the kernel cache key (a compiler upgrade rebuilds).</summary>
    public static async Task<string> CompilerVersionAsync(IProcessRunner runner, ArchConfig arch, CancellationToken cancellationToken)
    {
        var result = (await runner.RunAsync(ProcessSpec.Of(Compiler(arch), "--version"), cancellationToken)).EnsureSuccess();
        return result.StandardOutput.Split('\n')[0].Trim();
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, program))
        .FirstOrDefault(File.Exists);
}
