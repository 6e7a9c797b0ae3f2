using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Errors;
using Harness.Processes;

namespace Harness.Images;

/// <summary>A package version apt would download: its .deb file name and the archive's SHA256 of it.</summary>
public sealed record ResolvedPackage(string Name, string DebianArch, string FileName, string Sha256);

/// <summary>
/// Debian packages for the guest, per Debian arch, through apt's ordinary client: `apt-get download
/// --print-uris` says which version and SHA256 (no download), `apt-get download` fetches the .deb into
/// the cache, `dpkg-deb -x` unpacks it once into packages/ARCH/extracted/FILE (temp dir + rename).
/// </summary>
public sealed partial class DebianPackages(IProcessRunner runner, CacheLayout cache)
{
    // 'URI' FILE SIZE SHA256:HEX
    [GeneratedRegex(@"^'(?<uri>[^']+)' (?<file>\S+) (?<size>\d+) SHA256:(?<sha>[0-9a-f]{64})$")]
    private static partial Regex UriLine();

    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<string> names, string debianArch, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new ProcessSpec("apt-get", ["download", "--print-uris", .. names.Select(n => $"{n}:{debianArch}")]),
            cancellationToken);
        if (!result.Succeeded)
            throw new ProcessFailedException(result,
                $"apt cannot resolve the guest packages for {debianArch}. Run 'make deps' (it adds the {debianArch} " +
                "architecture with dpkg --add-architecture and runs apt-get update), then retry.");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Select(name =>
        {
            var match = lines.Select(l => UriLine().Match(l))
                .FirstOrDefault(m => m.Success && m.Groups["file"].Value.StartsWith(name + "_", StringComparison.Ordinal));
            return match is null
                ? throw new InfrastructureException($"apt-get download --print-uris {name}:{debianArch} printed no download for {name}.\n{result.StandardOutput}")
                : new ResolvedPackage(name, debianArch, match.Groups["file"].Value, match.Groups["sha"].Value);
        }).ToArray();
    }

    /// <summary>Downloads the .debs not cached yet (one apt-get call), unpacks each once; returns their directories in order.</summary>
    public async Task<IReadOnlyList<string>> ExtractAsync(IReadOnlyList<ResolvedPackage> packages, CancellationToken cancellationToken)
    {
        var missing = packages.Where(p => !Directory.Exists(ExtractedDirectory(p)) && !File.Exists(DebFile(p))).ToArray();
        foreach (var group in missing.GroupBy(p => p.DebianArch))
        {
            var debs = Path.GetDirectoryName(DebFile(group.First()))!;
            Directory.CreateDirectory(debs);
            (await runner.RunAsync(new ProcessSpec("apt-get", ["download", .. group.Select(p => $"{p.Name}:{p.DebianArch}")]) { WorkingDirectory = debs },
                cancellationToken)).EnsureSuccess();
            foreach (var package in group.Where(p => !File.Exists(DebFile(p))))
                throw new InfrastructureException($"apt-get download {package.Name}:{package.DebianArch} did not produce {DebFile(package)}.");
        }

        var directories = new List<string>();
        foreach (var package in packages) directories.Add(await UnpackAsync(package, cancellationToken));
        return directories;
    }

    private string DebFile(ResolvedPackage package) => Path.Combine(cache.Packages(package.DebianArch), "debs", package.FileName);

    private string ExtractedDirectory(ResolvedPackage package) => Path.Combine(cache.Packages(package.DebianArch), "extracted", package.FileName);

    private async Task<string> UnpackAsync(ResolvedPackage package, CancellationToken cancellationToken)
    {
        var extracted = ExtractedDirectory(package);
        if (Directory.Exists(extracted)) return extracted;
        Directory.CreateDirectory(Path.GetDirectoryName(extracted)!);
        var temp = extracted + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            (await runner.RunAsync(ProcessSpec.Of("dpkg-deb", "-x", DebFile(package), temp), cancellationToken)).EnsureSuccess();
            Directory.Move(temp, extracted);
        }
        catch (IOException) when (Directory.Exists(extracted))
        {
            // Another run unpacked the same package first: theirs is as good as ours.
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return extracted;
    }
}
