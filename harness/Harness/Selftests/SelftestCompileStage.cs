using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Selftests;

/// <summary>
/// Compiles a set of selftests for one arch: `clang-19 -target bpf -g -O2 -mcpu=v3 -D__TARGET_ARCH_X` against the
/// arch's vmlinux.h, the tree's libbpf headers and the set's include path, each foo.c into foo.bpf.o, two clang
/// processes at a time; prebuilt *.o are copied as they are. Cached under objects/KEY/ARCH, the key covering every
/// input file, vmlinux.h, the libbpf headers, clang's version and the flags. A file that does not compile is a
/// <see cref="FileError"/> carrying clang's first error (file:line:col: message), kept in the cache entry as
/// NAME.bpf.o.error; the other files still compile and run.
/// </summary>
public sealed class SelftestCompileStage
{
    public const string Clang = "clang-19";

    /// <summary>How many clang processes run at once (the machines this runs on have 2 cores).</summary>
    public const int Parallel = 2;

    private const string ErrorSuffix = ".error";

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
        if (CacheDirectory.IsComplete(final)) return Result(arch, sources, key, final, cSources, prebuilt);

        var staging = CacheDirectory.Stage(final);
        try
        {
            foreach (var prebuiltObject in prebuilt)
                File.Copy(prebuiltObject, Path.Combine(staging, Path.GetFileName(prebuiltObject)));
            var done = 0;
            var label = sources.Suite == SelftestSources.SeriesSuite ? "" : $"{sources.Suite}: ";
            await System.Threading.Tasks.Parallel.ForEachAsync(cSources,
                new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (source, ct) =>
                {
                    var error = await CompileAsync(context, arch, sources, source, Path.Combine(staging, ObjectName(source)), flags, key, ct);
                    if (error is not null) await File.WriteAllTextAsync(Path.Combine(staging, ObjectName(source) + ErrorSuffix), error, ct);
                    context.Progress.Stage(arch.Name, "compile",
                        $"{label}{Path.GetFileName(source)} ({Interlocked.Increment(ref done)}/{cSources.Count}){(error is null ? "" : ": does not compile")}");
                });
            CacheDirectory.Publish(staging, final);
            return Result(arch, sources, key, final, cSources, prebuilt);
        }
        catch
        {
            CacheDirectory.Discard(staging);
            throw;
        }
    }

    /// <summary>foo.c becomes foo.bpf.o, the kernel selftests' naming.</summary>
    public static string ObjectName(string source) => Path.GetFileNameWithoutExtension(source) + ".bpf.o";

    /// <summary>Everything but the input and output: the same flags for every file of a set.</summary>
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
        };
        // A directory of selftests finds its own headers first; a tree suite has only the include path its file names.
        if (sources.Files is null) flags.AddRange(["-I", sources.Directory, "-I", Path.Combine(sources.Directory, "include")]);
        foreach (var dir in sources.IncludeDirectories) flags.AddRange(["-I", dir]);
        // Programs written against the uapi headers (<linux/bpf.h>, as the tree's progs/verifier_*.c are) need
        // the arch's <asm/...>: the multiarch directory, as the kernel's selftests Makefile adds it.
        flags.AddRange(["-idirafter", $"/usr/include/{arch.GnuTriplet}"]);
        return flags;
    }

    /// <summary>Compiles one file; null when it compiled, else the reason it is a <see cref="FileError"/>.</summary>
    private static async Task<string?> CompileAsync(StageContext context, ArchConfig arch, SelftestSources sources, string source, string output,
        IReadOnlyList<string> flags, string key, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(Clang, [.. flags, "-c", source, "-o", output])
        {
            WorkingDirectory = Path.GetDirectoryName(source),
            // One log per file: two clang processes run at once, and the kernels of an arch may compile side by side.
            LogFile = context.LogFile(Path.Combine($"compile-{arch.Name}-{key}", Path.GetFileNameWithoutExtension(source))),
        };
        var result = await PrepareLimit.For(context, $"selftest compile of {Path.GetFileName(source)} ({arch.Name})").RunAsync(spec, cancellationToken);
        if (result.Succeeded) return null;

        var name = Path.GetFileName(source);
        var error = ClangDiagnostics.FirstError(result.StandardError);
        if (error is null)
        {
            var last = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
            return $"{name}: does not compile for {arch.Name}: clang exited {result.ExitCode}{(last is null ? "" : $": {last}")}. Full output: {spec.LogFile}";
        }
        var file = Path.IsPathRooted(error.File) ? error.File : Path.GetFullPath(error.File, Path.GetDirectoryName(source)!);
        var shown = file.StartsWith(sources.Directory + "/", StringComparison.Ordinal) ? Path.GetRelativePath(sources.Directory, file) : file;
        var excerpt = error.Context.Count == 0 ? "" : "\n" + string.Join('\n', error.Context);
        return $"{name}: does not compile for {arch.Name}: {shown}:{error.Line}:{error.Column}: error: {error.Message}{excerpt}\n" +
               $"Fix the program{(sources.Files is null ? $", or remove it from {sources.Directory}" : $", or leave it out of the suite '{sources.Suite}'")}. " +
               $"Full output: {spec.LogFile}";
    }

    private static async Task<string> ClangVersionAsync(StageContext context, CancellationToken cancellationToken)
    {
        var result = await PrepareLimit.For(context, "clang --version").RunAsync(ProcessSpec.Of(Clang, "--version"), cancellationToken);
        return result.EnsureSuccess().StandardOutput.Split('\n')[0].Trim();
    }

    private static CompiledSelftests Result(ArchConfig arch, SelftestSources sources, string key, string directory,
        IReadOnlyList<string> cSources, IReadOnlyList<string> prebuilt)
    {
        var names = prebuilt.Select(p => Path.GetFileName(p)!).Concat(cSources.Select(ObjectName)).Order(StringComparer.Ordinal).ToArray();
        var failed = names.Where(n => File.Exists(Path.Combine(directory, n + ErrorSuffix))).ToHashSet(StringComparer.Ordinal);
        return new CompiledSelftests(arch.Name, key, directory, names.Where(n => !failed.Contains(n)).Select(n => Path.Combine(directory, n)).ToArray())
        {
            Suite = sources.Suite,
            FileErrors = names.Where(failed.Contains)
                .Select(n => new FileError(sources.Suite, n, FileError.Compile, File.ReadAllText(Path.Combine(directory, n + ErrorSuffix))))
                .ToArray(),
        };
    }
}
