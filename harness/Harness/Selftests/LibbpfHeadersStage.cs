using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Selftests;

/// <summary>The tree's libbpf headers (bpf/bpf_helpers.h, bpf/bpf_helper_defs.h, ...) under <see cref="IncludeDirectory"/>.</summary>
public sealed record LibbpfHeaders(string IncludeDirectory)
{
    /// <summary>bpf_helper_defs.h: generated from the tree's include/uapi/linux/bpf.h, so it matches the kernel under test.</summary>
    public string HelperDefinitions => Path.Combine(IncludeDirectory, "bpf", "bpf_helper_defs.h");
}

/// <summary>
/// Installs the kernel tree's own libbpf headers with `make -C tools/lib/bpf install_headers` into the cache
/// (tools/TREEKEY/noarch/libbpf-headers). OUTPUT= and DESTDIR= point outside the tree: the tree is never written.
/// The same headers serve the BPF selftests and the in-guest loader of every arch.
/// </summary>
public sealed class LibbpfHeadersStage
{
    /// <summary>The cache's arch slot for things that are the same on every arch.</summary>
    public const string ArchIndependent = "noarch";

    public async Task<LibbpfHeaders> RunAsync(StageContext context, string treeDirectory, string treeKey,
        CancellationToken cancellationToken)
    {
        var libbpfSource = Path.Combine(treeDirectory, "tools", "lib", "bpf");
        if (!File.Exists(Path.Combine(libbpfSource, "Makefile")))
            throw new BadInputException(
                $"{treeDirectory}: no tools/lib/bpf/Makefile. The tree must be a Linux source tree with its libbpf (tools/lib/bpf).");

        var final = Path.Combine(context.Cache.Tools(treeKey, ArchIndependent), "libbpf-headers");
        var headers = new LibbpfHeaders(Path.Combine(final, "include"));
        if (CacheDirectory.IsComplete(final)) return headers;

        context.Progress.Stage(ArchIndependent, "libbpf", "installing the tree's libbpf headers");
        var staging = CacheDirectory.Stage(final);
        try
        {
            // tools/scripts/Makefile.include refuses an OUTPUT= that does not exist yet.
            Directory.CreateDirectory(Path.Combine(staging, "build"));
            var spec = new ProcessSpec("make",
            [
                "-C", libbpfSource, "install_headers",
                $"OUTPUT={Path.Combine(staging, "build")}/", $"DESTDIR={staging}", "prefix=",
            ])
            {
                LogFile = context.LogFile("libbpf-headers"),
            };
            (await PrepareLimit.For(context, "libbpf headers (make install_headers)").RunAsync(spec, cancellationToken)).EnsureSuccess();
            var installed = new LibbpfHeaders(Path.Combine(staging, "include"));
            if (!File.Exists(installed.HelperDefinitions))
                throw new InfrastructureException(
                    $"make install_headers in {libbpfSource} left no bpf/bpf_helper_defs.h under {installed.IncludeDirectory}; see {spec.LogFile}.");
            Directory.Delete(Path.Combine(staging, "build"), recursive: true);
            CacheDirectory.Publish(staging, final);
            return headers;
        }
        catch
        {
            CacheDirectory.Discard(staging);
            throw;
        }
    }
}
