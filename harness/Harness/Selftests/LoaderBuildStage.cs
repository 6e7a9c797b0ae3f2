using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Selftests;

/// <summary>
/// Builds the in-guest loader (vm-images/loader/*.c, main in harness-loader.c) for one arch: a static libbpf.a from
/// the tree's own tools/lib/bpf (OUTPUT= in the cache, never in the tree; cross-compiled with the arch's
/// CROSS_COMPILE), the tree's own BPF disassembler (kernel/bpf/disasm.c and the selftests' disasm_helpers.c, which
/// print the xlated text as test_loader does; a tree without them gives a loader without xlated text), then
/// `gcc -static` against them and Debian's static libelf, zlib and zstd for the arch's GNU triplet. Cached under
/// tools/TREEKEY/ARCH/loader-HASH, the hash covering every loader source and header and the compiler command, so
/// editing the loader rebuilds it and nothing else does.
/// </summary>
public sealed class LoaderBuildStage
{
    public const string LoaderSourceRelativePath = "vm-images/loader/harness-loader.c";

    /// <summary>The tree's disassembler sources the loader is built with, relative to the tree.</summary>
    public static readonly string[] DisassemblerSources = ["kernel/bpf/disasm.c", "tools/testing/selftests/bpf/disasm_helpers.c"];

    public async Task<GuestTools> RunAsync(StageContext context, ArchConfig arch, string treeDirectory, string treeKey,
        LibbpfHeaders headers, CancellationToken cancellationToken)
    {
        var source = Path.Combine(context.Project.Root, LoaderSourceRelativePath);
        if (!File.Exists(source))
            throw new BadInputException($"{source}: the loader source is missing from the checkout. Restore {LoaderSourceRelativePath}.");

        var compiler = arch.CrossCompile + "gcc";
        var uapi = Path.Combine(treeDirectory, "tools", "include", "uapi");
        var loaderDirectory = Path.GetDirectoryName(source)!;
        var sources = Directory.GetFiles(loaderDirectory, "*.c").Order(StringComparer.Ordinal).ToArray();
        var headerFiles = Directory.GetFiles(loaderDirectory, "*.h");
        var disassembler = DisassemblerSources.Select(s => Path.Combine(treeDirectory, s)).ToArray();
        var withDisassembler = disassembler.All(File.Exists);
        var key = ContentHash.OfFiles(loaderDirectory, [.. sources, .. headerFiles], compiler, arch.GnuTriplet, treeKey, withDisassembler ? "disasm" : "no-disasm");
        var final = Path.Combine(context.Cache.Tools(treeKey, arch.Name), $"loader-{key}");
        var tools = new GuestTools(arch.Name, Path.Combine(final, "harness-loader"));
        if (CacheDirectory.IsComplete(final)) return tools;

        var staging = CacheDirectory.Stage(final);
        try
        {
            context.Progress.Stage(arch.Name, "loader", "building static libbpf.a from the tree");
            var libbpfOutput = Path.Combine(staging, "libbpf") + "/";
            Directory.CreateDirectory(libbpfOutput); // Makefile.include refuses a missing OUTPUT=
            var make = new ProcessSpec("make",
            [
                "-C", Path.Combine(treeDirectory, "tools", "lib", "bpf"),
                "BUILD_STATIC_ONLY=1", $"OUTPUT={libbpfOutput}",
                $"CROSS_COMPILE={arch.CrossCompile}", $"CC={compiler}", $"AR={arch.CrossCompile}ar",
                $"LD={arch.CrossCompile}ld", "HOSTCC=gcc", "-j2",
                libbpfOutput + "libbpf.a",
            ])
            {
                LogFile = context.LogFile($"loader-{arch.Name}"),
            };
            (await PrepareLimit.For(context, $"loader build for {arch.Name} (static libbpf.a)").RunAsync(make, cancellationToken)).EnsureSuccess();

            var disassemblerObjects = new List<string>();
            if (withDisassembler)
            {
                context.Progress.Stage(arch.Name, "loader", "compiling the tree's BPF disassembler (kernel/bpf/disasm.c)");
                foreach (var file in disassembler)
                {
                    var output = Path.Combine(staging, Path.GetFileNameWithoutExtension(file) + ".o");
                    var compile = new ProcessSpec(compiler,
                    [
                        "-c", "-O2", "-Wall",
                        "-I", Path.Combine(treeDirectory, "kernel", "bpf"), "-I", Path.Combine(treeDirectory, "tools", "include"), "-I", uapi,
                        "-I", headers.IncludeDirectory,
                        file, "-o", output,
                    ])
                    {
                        LogFile = context.LogFile($"loader-{arch.Name}"),
                    };
                    (await PrepareLimit.For(context, $"loader build for {arch.Name} ({Path.GetFileName(file)})").RunAsync(compile, cancellationToken)).EnsureSuccess();
                    disassemblerObjects.Add(output);
                }
            }

            context.Progress.Stage(arch.Name, "loader", $"linking {GuestTools.LoaderGuestPath} statically");
            var link = new ProcessSpec(compiler,
            [
                "-static", "-O2", "-Wall",
                "-I", headers.IncludeDirectory, "-I", uapi,
                .. withDisassembler ? Array.Empty<string>() : ["-DHARNESS_NO_DISASM"],
                .. sources, .. disassemblerObjects, libbpfOutput + "libbpf.a",
                "-L", $"/usr/lib/{arch.GnuTriplet}", "-lelf", "-lz", "-lzstd",
                "-o", Path.Combine(staging, "harness-loader"),
            ])
            {
                LogFile = context.LogFile($"loader-{arch.Name}"),
            };
            var linked = await PrepareLimit.For(context, $"loader link for {arch.Name}").RunAsync(link, cancellationToken);
            if (!linked.Succeeded)
                throw new ProcessFailedException(linked,
                    $"Linking the static loader for {arch.Name} needs Debian's static libs for {arch.DebianArch}: " +
                    $"apt-get install libelf-dev:{arch.DebianArch} zlib1g-dev:{arch.DebianArch} libzstd-dev:{arch.DebianArch} (run 'make deps').");

            // The objects are only needed to link; the cache keeps libbpf.a and the loader.
            Directory.Delete(Path.Combine(staging, "libbpf", "staticobjs"), recursive: true);
            foreach (var o in disassemblerObjects) File.Delete(o);
            CacheDirectory.Publish(staging, final);
            return tools;
        }
        catch
        {
            CacheDirectory.Discard(staging);
            throw;
        }
    }
}
