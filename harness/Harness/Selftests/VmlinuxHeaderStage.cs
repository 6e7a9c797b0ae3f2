using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Selftests;

/// <summary>
/// vmlinux.h for one built kernel: `bpftool btf dump file VMLINUX format c`. Each arch and kernel gets its
/// own, so selftests see exactly the types (and test kfunc structs) of the kernel they will load into.
/// Cached by the vmlinux's content hash under headers/KEY/ARCH/vmlinux.h.
/// </summary>
public sealed class VmlinuxHeaderStage
{
    /// <summary>Returns the path of vmlinux.h generated from <paramref name="vmlinuxPath"/>.</summary>
    public async Task<string> RunAsync(StageContext context, ArchConfig arch, string vmlinuxPath,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(vmlinuxPath))
            throw new InfrastructureException(
                $"{vmlinuxPath}: the built kernel's vmlinux is missing, so its BTF cannot be dumped into vmlinux.h. Rebuild the kernel for {arch.Name}.");

        var key = ContentHash.OfFile(vmlinuxPath);
        var final = context.Cache.Headers(key, arch.Name);
        var header = Path.Combine(final, "vmlinux.h");
        if (CacheDirectory.IsComplete(final)) return header;

        context.Progress.Stage(arch.Name, "vmlinux.h", $"bpftool btf dump {vmlinuxPath}");
        var staging = CacheDirectory.Stage(final);
        try
        {
            var spec = new ProcessSpec("bpftool", ["btf", "dump", "file", vmlinuxPath, "format", "c"])
            {
                // No log file: stdout is the multi-megabyte header itself; a failure carries stderr.
            };
            var result = await PrepareLimit.For(context, $"vmlinux.h for {arch.Name} (bpftool btf dump)").RunAsync(spec, cancellationToken);
            if (!result.Succeeded)
                throw new ProcessFailedException(result,
                    $"{vmlinuxPath} has no usable BTF: the kernel needs CONFIG_DEBUG_INFO_BTF=y (and pahole from dwarves).");
            if (!result.StandardOutput.Contains("struct bpf_map", StringComparison.Ordinal))
                throw new InfrastructureException(
                    $"bpftool dumped no BPF types from {vmlinuxPath}: it has no BTF. Build the kernel with CONFIG_DEBUG_INFO_BTF=y.");
            await File.WriteAllTextAsync(Path.Combine(staging, "vmlinux.h"), result.StandardOutput, cancellationToken);
            CacheDirectory.Publish(staging, final);
            return header;
        }
        catch
        {
            CacheDirectory.Discard(staging);
            throw;
        }
    }
}
