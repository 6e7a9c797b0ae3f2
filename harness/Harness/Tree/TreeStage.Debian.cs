using Harness.Errors;
using Harness.Pipeline;
using Harness.Processes;

namespace Harness.Tree;

public static partial class TreeStage
{
    private static async Task<KernelTree> ProvisionDebianAsync(StageContext context, Config.TreeSource.DebianPackage source, CancellationToken cancellationToken)
    {
        var package = source.Package;
        var repository = context.Cache.Tree(package);
        var log = context.LogFile("tree");
        var git = new Git(context.Runner, repository, log);

        if (File.Exists(Marker(repository)))
            return await DescribeDebianAsync(git, package, cancellationToken);

        // Two runs on a cold cache: one extracts, the other waits and then finds the marker.
        using var treeLock = await CacheLock.AcquireAsync(context.Cache.Lock($"{package}-tree"), context.Progress, cancellationToken);
        if (File.Exists(Marker(repository)))
            return await DescribeDebianAsync(git, package, cancellationToken);
        RemoveTemporarySiblings(context, repository);

        if (Directory.Exists(repository))
        {
            // Made by an earlier version (or by hand) without the marker: if the base tag is there the
            // commit finished, so adopt it rather than delete a tree others may be reading.
            if (await git.ResolveAsync(BaseTag, cancellationToken) is not null)
            {
                await File.WriteAllTextAsync(Marker(repository), await PackageVersionAsync(context, package, cancellationToken), cancellationToken);
                context.Progress.Stage("-", "tree", $"adopted {repository} (tag {BaseTag} present)");
                return await DescribeDebianAsync(git, package, cancellationToken);
            }
            context.Progress.Stage("-", "tree", $"{repository} is half-made (no {BaseTag} tag); removing it and extracting again");
            Directory.Delete(repository, recursive: true);
        }

        var tarball = await EnsureTarballAsync(context, package, cancellationToken);
        var version = await PackageVersionAsync(context, package, cancellationToken);
        var temporary = TemporarySibling(repository);
        try
        {
            Directory.CreateDirectory(temporary);
            context.Progress.Stage("-", "tree", $"extracting {tarball} (once; about 10 s)");
            await Run(context, "tar", ["-xf", tarball, "-C", temporary, "--strip-components=1"], temporary, log, cancellationToken);

            context.Progress.Stage("-", "tree", "committing the extracted source as the base commit (once; about 30 s)");
            var scratch = new Git(context.Runner, temporary, log);
            await scratch.RunAsync(cancellationToken, "init", "--quiet", "--initial-branch=base");
            // Debian's .gitignore ends with "/*" (for its packaging): without -f nothing would be added.
            await scratch.RunAsync(cancellationToken, "add", "-A", "-f");
            await scratch.RunAsync(cancellationToken, "commit", "--quiet", "--no-verify", "-m", $"{package} {version} (Debian), as extracted");
            await scratch.RunAsync(cancellationToken, "tag", BaseTag);
            Directory.Move(temporary, repository);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
        await File.WriteAllTextAsync(Marker(repository), version, cancellationToken);
        return await DescribeDebianAsync(git, package, cancellationToken);
    }

    private static async Task<KernelTree> DescribeDebianAsync(Git git, string package, CancellationToken cancellationToken)
    {
        var commit = await git.ResolveAsync(BaseTag, cancellationToken)
            ?? throw new InfrastructureException($"{git.Directory}: tag {BaseTag} is missing although the tree is marked provisioned. Delete the directory to extract it again.");
        var version = (await File.ReadAllTextAsync(Marker(git.Directory), cancellationToken)).Trim();
        return new KernelTree(package, git.Directory, commit, $"{package} {version} (Debian)");
    }

    /// <summary>/usr/src/PACKAGE.tar.xz, installing the package with apt when it is missing.</summary>
    private static async Task<string> EnsureTarballAsync(StageContext context, string package, CancellationToken cancellationToken)
    {
        var tarball = $"/usr/src/{package}.tar.xz";
        if (File.Exists(tarball)) return tarball;
        if (Environment.UserName != "root")
            throw new InfrastructureException(
                $"{tarball} is missing: the Debian package {package} is not installed, and installing it needs root. " +
                $"Run 'make deps' (it uses sudo), or: sudo apt-get install {package}");
        context.Progress.Stage("-", "tree", $"installing {package} with apt-get");
        await Run(context, "apt-get", ["install", "-y", "-q", package], null, context.LogFile("tree"), cancellationToken,
            new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        return File.Exists(tarball) ? tarball
            : throw new InfrastructureException($"apt-get installed {package} but {tarball} is still missing. Check the package's file list: dpkg -L {package}");
    }

    private static async Task<string> PackageVersionAsync(StageContext context, string package, CancellationToken cancellationToken)
    {
        var result = await context.Runner.RunAsync(ProcessSpec.Of("dpkg-query", "-W", "-f=${Version}", package), cancellationToken);
        return result.Succeeded ? result.StandardOutput.Trim() : "unknown version";
    }

    private static async Task Run(StageContext context, string program, string[] arguments, string? directory, string log,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null) =>
        (await context.Runner.RunAsync(new ProcessSpec(program, arguments)
        {
            WorkingDirectory = directory,
            LogFile = log,
            Environment = environment ?? new Dictionary<string, string?>(),
        }, cancellationToken)).EnsureSuccess();
}
