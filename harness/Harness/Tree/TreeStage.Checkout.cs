using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Errors;
using Harness.Pipeline;

namespace Harness.Tree;

public static partial class TreeStage
{
    /// <summary>Files whose presence at the base ref shows the checkout is a kernel tree with a BPF verifier.</summary>
    private static readonly string[] KernelTreeFiles = ["Makefile", "kernel/bpf/verifier.c"];

    private static async Task<KernelTree> ProvisionCheckoutAsync(StageContext context, TreeSource.GitCheckout source, CancellationToken cancellationToken)
    {
        var log = context.LogFile("tree");
        var user = new Git(context.Runner, source.Path, log);
        var topLevel = await user.TryAsync(cancellationToken, "rev-parse", "--show-toplevel");
        if (!topLevel.Succeeded)
            throw new BadInputException($"--tree {source.Path}: not a git repository ({topLevel.StandardError.Trim()}). Give the path of a kernel git checkout.");
        var commit = await user.ResolveAsync(source.Ref, cancellationToken)
            ?? throw new BadInputException($"--tree {source.Path}: '{source.Ref}' names no commit there. Give a branch, tag or commit with --base.");
        foreach (var file in KernelTreeFiles)
            if (!(await user.TryAsync(cancellationToken, "cat-file", "-e", $"{commit}:{file}")).Succeeded)
                throw new BadInputException($"--tree {source.Path}: {source.Ref} has no {file}, so it is not a Linux kernel tree with the BPF verifier. Point --tree at a kernel checkout.");

        var key = CheckoutKey(source.Path);
        var repository = context.Cache.Tree(key);
        // Two runs on the same checkout: one clones (and moves the base ref), the other waits.
        using var treeLock = await CacheLock.AcquireAsync(context.Cache.Lock($"{key}-tree"), context.Progress, cancellationToken);
        RemoveTemporarySiblings(context, repository);
        if (Directory.Exists(repository) && !File.Exists(Marker(repository)))
            Directory.Delete(repository, recursive: true);
        if (!Directory.Exists(repository))
        {
            // --shared borrows the user's objects through .git/objects/info/alternates: no copy, and
            // nothing is written into their repository (a worktree there would be).
            var temporary = TemporarySibling(repository);
            try
            {
                context.Progress.Stage("-", "tree", $"cloning {source.Path} into the cache (shared objects, no checkout)");
                await new Git(context.Runner, Path.GetDirectoryName(repository)!, log)
                    .RunAsync(cancellationToken, "clone", "--quiet", "--shared", "--no-checkout", source.Path, temporary);
                Directory.Move(temporary, repository);
            }
            finally
            {
                if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            }
            await File.WriteAllTextAsync(Marker(repository), source.Path, cancellationToken);
        }

        var clone = new Git(context.Runner, repository, log);
        // The base may be newer than the clone (the user committed since): fetch it by id.
        if (await clone.ResolveAsync(commit, cancellationToken) is null)
            await clone.RunAsync(cancellationToken, "fetch", "--quiet", source.Path, commit);
        // Keeps the base reachable in the clone even if the user's branch moves on.
        await clone.RunAsync(cancellationToken, "update-ref", "refs/harness/base", commit);
        return new KernelTree(key, repository, commit, $"{source.Path} at {source.Ref} ({commit[..12]})") { CheckedOut = false };
    }

    /// <summary>The directory's name (for people) plus a hash of its absolute path (two checkouts named linux differ).</summary>
    public static string CheckoutKey(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var name = Regex.Replace(Path.GetFileName(full), "[^A-Za-z0-9._-]", "_");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..10];
        return $"{(name.Length == 0 ? "tree" : name)}-{hash}";
    }
}
