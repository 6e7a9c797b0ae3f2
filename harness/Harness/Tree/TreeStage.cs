using Harness.Config;
using Harness.Pipeline;

namespace Harness.Tree;

/// <summary>
/// Stage 1: provide the kernel source as a git repository in the cache, with the base commit to patch.
/// Debian's linux-source package is extracted and committed once; a user's checkout is cloned
/// (sharing its objects) and never written to.
/// </summary>
public static partial class TreeStage
{
    /// <summary>Written into .git last: a tree without it was interrupted while being made.</summary>
    public const string MarkerFile = "harness-provisioned";

    /// <summary>The tag on the commit holding the source exactly as the package shipped it.</summary>
    public const string BaseTag = "harness-base";

    public static Task<KernelTree> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        // apt-get, tar and git each get timeouts.prepare: a hung mirror or a stuck git fails the run instead of hanging it.
        context = context with { Runner = PrepareLimit.For(context, $"tree provisioning ({Describe(context.Config.Tree)})") };
        return context.Config.Tree switch
        {
            TreeSource.DebianPackage debian => ProvisionDebianAsync(context, debian, cancellationToken),
            TreeSource.GitCheckout checkout => ProvisionCheckoutAsync(context, checkout, cancellationToken),
            var other => throw new InvalidOperationException($"Unknown tree source {other}"),
        };
    }

    private static string Describe(TreeSource source) => source switch
    {
        TreeSource.DebianPackage debian => debian.Package,
        TreeSource.GitCheckout checkout => checkout.Path,
        var other => other.ToString(),
    };

    private static string Marker(string repository) => Path.Combine(repository, ".git", MarkerFile);

    /// <summary>
    /// Removes DESTINATION.tmp-* left by a run killed while making the tree (a half extraction is gigabytes). Called
    /// under the tree's lock, so no live run is writing one.
    /// </summary>
    private static void RemoveTemporarySiblings(StageContext context, string destination)
    {
        var parent = Path.GetDirectoryName(destination)!;
        if (!Directory.Exists(parent)) return;
        foreach (var stale in Directory.EnumerateDirectories(parent, Path.GetFileName(destination) + ".tmp-*"))
        {
            context.Progress.Stage("-", "tree", $"removing {stale}, left by an interrupted run");
            Directory.Delete(stale, recursive: true);
        }
    }

    /// <summary>A fresh sibling directory to build into; renamed into place only when complete.</summary>
    private static string TemporarySibling(string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        return $"{destination}.tmp-{Guid.NewGuid().ToString("N")[..8]}";
    }
}
