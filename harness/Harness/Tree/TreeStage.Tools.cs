using Harness.Pipeline;

namespace Harness.Tree;

public static partial class TreeStage
{
    /// <summary>
    /// What the host-side builds read from the tree: libbpf and the tools' uapi headers (tools/), scripts/bpf_doc.py
    /// and the uapi bpf.h it generates libbpf's helper definitions from, and kernel/bpf/disasm.[ch] that the BPF
    /// selftests link to.
    /// </summary>
    private static readonly string[] ToolsPaths = ["tools", "scripts", "include/uapi", "kernel/bpf"];

    /// <summary>
    /// A directory holding <see cref="ToolsPaths"/> at the tree's base commit, for libbpf, the loader and the selftest
    /// include path: the tree itself when its files are on disk, else REPOSITORY-tools-COMMIT, made once under the
    /// tree's lock (from git, so the clone of a user's checkout needs no working files) and kept; a directory without
    /// its marker was interrupted and is made again. Paths the commit lacks are left out: the libbpf stage names
    /// what is missing.
    /// </summary>
    public static async Task<string> ToolsAsync(StageContext context, KernelTree tree, CancellationToken cancellationToken)
    {
        if (tree.CheckedOut) return tree.Repository;
        var tools = $"{tree.Repository}-tools-{tree.BaseCommit[..12]}";
        var marker = Path.Combine(tools, ".harness-complete");
        if (File.Exists(marker)) return tools;

        context = context with { Runner = PrepareLimit.For(context, $"checking out tools/ of {tree.BaseCommit[..12]}") };
        using var treeLock = await CacheLock.AcquireAsync(context.Cache.Lock($"{tree.Key}-tree"), context.Progress, cancellationToken);
        if (File.Exists(marker)) return tools;
        RemoveTemporarySiblings(context, tools);
        if (Directory.Exists(tools)) Directory.Delete(tools, recursive: true);
        var log = context.LogFile("tree");
        var git = new Git(context.Runner, tree.Repository, log);
        var present = new List<string>();
        foreach (var path in ToolsPaths)
            if ((await git.TryAsync(cancellationToken, "cat-file", "-e", $"{tree.BaseCommit}:{path}")).Succeeded)
                present.Add(path);
        var temporary = TemporarySibling(tools);
        try
        {
            context.Progress.Stage("-", "tree", $"checking out {string.Join(", ", present)} of {tree.BaseCommit[..12]} for the host-side builds (libbpf, loader, selftests)");
            Directory.CreateDirectory(temporary);
            if (present.Count > 0)
            {
                var archive = Path.Combine(temporary, "tools.tar");
                await git.RunAsync(cancellationToken, ["archive", "--format=tar", $"--output={archive}", tree.BaseCommit, .. present]);
                (await context.Runner.RunAsync(new Processes.ProcessSpec("tar", ["-xf", archive, "-C", temporary]) { LogFile = log }, cancellationToken)).EnsureSuccess();
                File.Delete(archive);
            }
            await File.WriteAllTextAsync(Path.Combine(temporary, ".harness-complete"), tree.BaseCommit, cancellationToken);
            Directory.Move(temporary, tools);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
        return tools;
    }
}
