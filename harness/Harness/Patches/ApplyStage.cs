using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Errors;
using Harness.Pipeline;
using Harness.Tree;

namespace Harness.Patches;

/// <summary>
/// Stage 2: apply the series with `git am --3way` in a worktree the harness owns, one commit per patch,
/// and produce the "patched" and "baseline" variants. Each step is remembered by (parent, patch content),
/// so a re-run, or a baseline sharing a prefix with the patched series, re-applies nothing.
/// </summary>
public static partial class ApplyStage
{
    public static async Task<IReadOnlyList<AppliedVariant>> RunAsync(StageContext context, KernelTree tree, CancellationToken cancellationToken)
    {
        var config = context.Config;
        var series = ReadSeries(config);

        var variants = new List<AppliedVariant> { await ApplyAsync(context, tree, AppliedVariant.Patched, series, cancellationToken) };
        if (config.BaselineEnabled)
            variants.Add(await ApplyAsync(context, tree, AppliedVariant.Baseline, series.Without(config.BaselineWithout), cancellationToken));
        return variants;
    }

    /// <summary>
    /// The run's series, checked against the baseline's 'without' list (when there is a baseline): commands call it
    /// before any side effect, so a name that is not in the series, or a listed file with no diff, is refused before a tree is cloned.
    /// </summary>
    public static PatchSeries ReadSeries(Config.RunConfig config)
    {
        var series = SeriesReader.Read(config.SeriesDirectory);
        SeriesReader.CheckEachIsAPatch(series);
        foreach (var name in config.BaselineEnabled ? config.BaselineWithout : [])
            if (series.Patches.All(p => p.Name != name))
                throw new BadInputException($"{config.SourceFile}: 'baseline.without' names '{name}', which {series.SeriesFile} does not list. " +
                                            $"Listed: {string.Join(", ", series.Patches.Select(p => p.Name))}. Name a listed patch, or run with --no-baseline.");
        return series;
    }

    /// <summary>Applies <paramref name="series"/> onto the tree's base commit, reusing remembered steps.</summary>
    public static async Task<AppliedVariant> ApplyAsync(StageContext context, KernelTree tree, string variant, PatchSeries series, CancellationToken cancellationToken)
    {
        // git checkout, apply, am each get timeouts.prepare; the step names the variant (and the patch, in ApplyOneAsync).
        var limited = context with { Runner = PrepareLimit.For(context, $"applying the {variant} series") };
        var repository = new Git(limited.Runner, tree.Repository, context.LogFile("apply"));
        var commit = tree.BaseCommit;
        var stepKey = tree.BaseCommit;
        var outcomes = new List<PatchOutcome>();
        Git? worktree = null;
        using var cacheLock = await CacheLock.AcquireAsync(context.Cache.Lock($"{tree.Key}-apply"), context.Progress, cancellationToken);
        foreach (var patch in series.Patches)
        {
            stepKey = Hash($"{stepKey}\n{await HashFileAsync(patch.Path, cancellationToken)}");
            var outcome = await RecallAsync(context, repository, stepKey, patch.Name, cancellationToken);
            if (outcome is null)
            {
                worktree ??= await OpenWorktreeAsync(limited, tree, cancellationToken);
                outcome = await ApplyOneAsync(context, variant, worktree, commit, patch, cancellationToken);
                await RememberAsync(context, repository, stepKey, outcome, cancellationToken);
            }
            context.Progress.Stage("-", "apply", $"{variant}: {patch.Name}: {outcome.Summary}{(outcome.FromCache ? " (remembered)" : "")}");
            outcomes.Add(outcome);
            commit = outcome.Commit;
        }
        return new AppliedVariant(variant, commit, await repository.TreeHashAsync(commit, cancellationToken), outcomes);
    }

    private static async Task<PatchOutcome?> RecallAsync(StageContext context, Git repository, string stepKey, string name, CancellationToken cancellationToken)
    {
        var file = context.Cache.AppliedPatch(stepKey);
        if (!File.Exists(file)) return null;
        var remembered = JsonSerializer.Deserialize<PatchOutcome>(await File.ReadAllTextAsync(file, cancellationToken));
        // The record outlives the repository if someone deletes the tree: trust it only while the commit exists.
        if (remembered is null || await repository.ResolveAsync(RefName(stepKey), cancellationToken) != remembered.Commit) return null;
        return remembered with { Name = name, FromCache = true };
    }

    private static async Task RememberAsync(StageContext context, Git repository, string stepKey, PatchOutcome outcome, CancellationToken cancellationToken)
    {
        // The ref keeps the commit from being garbage-collected; the JSON keeps how it applied.
        await repository.RunAsync(cancellationToken, "update-ref", RefName(stepKey), outcome.Commit);
        var file = context.Cache.AppliedPatch(stepKey);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(outcome), cancellationToken);
        File.Move(temporary, file, overwrite: true);
    }

    private static string RefName(string stepKey) => $"refs/harness/applied/{stepKey}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Streams the file through the hash: a patch can be large (a whole-tree diff) and is never held in memory.</summary>
    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
