using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Selftests;

/// <summary>
/// Compiles a selftest directory for one arch: `clang-19 -target bpf -g -O2 -mcpu=v3 -D__TARGET_ARCH_X` against
/// the arch's vmlinux.h and the tree's libbpf headers, each foo.c into foo.bpf.o; prebuilt *.o are copied as
/// they are. Cached under objects/KEY/ARCH, the key covering every input file, vmlinux.h, the libbpf headers,
/// clang's version and the flags. A compile error is the user's (exit 3), named file:line:col with clang's message.
/// </summary>
public sealed class SelftestCompileStage
{
    public const string Clang = "clang-19";

    public async Task<CompiledSelftests> RunAsync(StageContext context, ArchConfig arch, SelftestSources sources,
        string vmlinuxHeader, LibbpfHeaders headers, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(sources.Directory))
            throw new BadInputException($"{sources.Directory}: selftests directory not found. Pass --selftests DIR with BPF C sources or .bpf.o objects.");
        var cSources = sources.CSources;
        var prebuilt = sources.PrebuiltObjects;
        if (cSources.Count == 0 && prebuilt.Count == 0)
            throw new BadInputException($"{sources.Directory}: no BPF C sources (*.c) or objects (*.bpf.o) in it. Pass a directory of selftests.");

        var clash = prebuilt.Select(Path.GetFileName).Intersect(cSources.Select(ObjectName)).FirstOrDefault();
        if (clash is not null)
            throw new BadInputException($"{Path.Combine(sources.Directory, clash)}: a prebuilt object with the name its C source compiles to. Keep one of them.");

        var flags = CompilerFlags(arch, sources, vmlinuxHeader, headers);
        var clangVersion = cSources.Count == 0 ? "" : await ClangVersionAsync(context, cancellationToken);
        var key = ContentHash.OfFiles(sources.Directory,
            sources.Inputs.Append(vmlinuxHeader).Append(headers.HelperDefinitions),
            [clangVersion, .. flags]);
        var final = context.Cache.Objects(key, arch.Name);
        if (CacheDirectory.IsComplete(final)) return Result(arch, key, final, cSources, prebuilt);

        var staging = CacheDirectory.Stage(final);
        try
        {
            foreach (var prebuiltObject in prebuilt)
                File.Copy(prebuiltObject, Path.Combine(staging, Path.GetFileName(prebuiltObject)));
            var done = 0;
            foreach (var source in cSources)
            {
                context.Progress.Stage(arch.Name, "compile", $"{Path.GetFileName(source)} ({++done}/{cSources.Count})");
                await CompileAsync(context, arch, source, Path.Combine(staging, ObjectName(source)), flags, cancellationToken);
            }
            CacheDirectory.Publish(staging, final);
            return Result(arch, key, final, cSources, prebuilt);
        }
        catch
        {
            CacheDirectory.Discard(staging);
            throw;
        }
    }

    /// <summary>foo.c becomes foo.bpf.o, the kernel selftests' naming.</summary>
    public static string ObjectName(string source) => Path.GetFileNameWithoutExtension(source) + ".bpf.o";

    /// <summary>Everything but the input and output: the same flags for every file of a run.</summary>
    public static IReadOnlyList<string> CompilerFlags(ArchConfig arch, SelftestSources sources, string vmlinuxHeader,
        LibbpfHeaders headers)
    {
        var flags = new List<string>
        {
            "-target", "bpf", "-g", "-O2", "-mcpu=v3", $"-D__TARGET_ARCH_{arch.BpfTargetArch}",
            // As the kernel's selftests Makefile: these warnings are expected in BPF C.
            "-Wno-compare-distinct-pointer-types",
            "-I", Path.GetDirectoryName(Path.GetFullPath(vmlinuxHeader))!,
            "-I", headers.IncludeDirectory,
            "-I", sources.Directory,
            "-I", Path.Combine(sources.Directory, "include"),
        };
        foreach (var dir in sources.IncludeDirectories) flags.AddRange(["-I", dir]);
        // Programs written against the uapi headers (<linux/bpf.h>, as the tree's progs/verifier_*.c are) need
        // the arch's <asm/...>: the multiarch directory, as the kernel's selftests Makefile adds it.
        flags.AddRange(["-idirafter", $"/usr/include/{arch.GnuTriplet}"]);
        return flags;
    }

    private static async Task CompileAsync(StageContext context, ArchConfig arch, string source, string output,
        IReadOnlyList<string> flags, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(Clang, [.. flags, "-c", source, "-o", output])
        {
            WorkingDirectory = Path.GetDirectoryName(source),
            LogFile = context.LogFile($"compile-{arch.Name}"),
        };
        var result = await PrepareLimit.For(context, $"selftest compile of {Path.GetFileName(source)} ({arch.Name})").RunAsync(spec, cancellationToken);
        if (result.Succeeded) return;

        var error = ClangDiagnostics.FirstError(result.StandardError);
        if (error is null)
            throw new ProcessFailedException(result, $"{source} did not compile for {arch.Name}.", ExitCodes.BadInput);
        var file = Path.IsPathRooted(error.File) ? error.File : Path.GetFullPath(error.File, Path.GetDirectoryName(source)!);
        var excerpt = error.Context.Count == 0 ? "" : "\n" + string.Join('\n', error.Context);
        throw new BadInputException(
            $"{file}:{error.Line}:{error.Column}: {error.Message}{excerpt}\n" +
            $"{Path.GetFileName(source)} does not compile for {arch.Name} (clang {string.Join(' ', flags.Take(6))}). " +
            $"Fix the program, or remove it from {Path.GetDirectoryName(source)}. Full output: {spec.LogFile}");
    }

    private static async Task<string> ClangVersionAsync(StageContext context, CancellationToken cancellationToken)
    {
        var result = await PrepareLimit.For(context, "clang --version").RunAsync(ProcessSpec.Of(Clang, "--version"), cancellationToken);
        return result.EnsureSuccess().StandardOutput.Split('\n')[0].Trim();
    }

    private static CompiledSelftests Result(ArchConfig arch, string key, string directory,
        IReadOnlyList<string> cSources, IReadOnlyList<string> prebuilt) =>
        new(arch.Name, key, directory,
            prebuilt.Select(Path.GetFileName).Concat(cSources.Select(ObjectName))
                .Select(name => Path.Combine(directory, name!)).Order(StringComparer.Ordinal).ToArray());
}
