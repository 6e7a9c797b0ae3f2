using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Harness.Tests.Support;

/// <summary>
/// The project's .gitlab-ci.yml as the tests read it: the shard job's parallel matrix, scripts, tags and artifacts,
/// and the merge job's needs, script, artifacts and exit-code policy. Read with YamlDotNet, so what GitLab reads.
/// </summary>
public sealed partial class GitLabCiFile
{
    private readonly YamlMappingNode _root;

    private GitLabCiFile(string path, YamlMappingNode root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public static string CheckoutFile => System.IO.Path.Combine(Checkout.Layout.Root, ".gitlab-ci.yml");

    public static GitLabCiFile Read(string? path = null)
    {
        path ??= CheckoutFile;
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return new GitLabCiFile(path, (YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public string Variable(string name) => Scalar(Map(_root, "variables"), name);

    /// <summary>The shard job's parallel matrix entries: SHARD (K of --shard K/N) and ARCH, in file order.</summary>
    public IReadOnlyList<(int Shard, string Arch)> ShardEntries =>
        Seq(Map(Job("shard"), "parallel"), "matrix").Cast<YamlMappingNode>()
            .Select(e => (int.Parse(Scalar(e, "SHARD")), Scalar(e, "ARCH"))).ToArray();

    public IReadOnlyList<string> Tags(string job) => Strings(Seq(Job(job), "tags"));

    public string Script(string job) => string.Join("\n", Strings(Seq(Job(job), "script")));

    public IReadOnlyList<string> ArtifactPaths(string job) => Strings(Seq(Map(Job(job), "artifacts"), "paths"));

    public string ArtifactsWhen(string job) => Scalar(Map(Job(job), "artifacts"), "when");

    public string When(string job) => Scalar(Job(job), "when");

    public IReadOnlyList<string> CachePaths(string job) => Strings(Seq(Map(Job(job), "cache"), "paths"));

    public IReadOnlyList<string> JunitReports(string job) =>
        Map(Map(Job(job), "artifacts"), "reports").Children[new YamlScalarNode("junit")] switch
        {
            YamlScalarNode one => [one.Value!],
            YamlSequenceNode many => Strings(many),
            var other => throw new InvalidDataException($"{Path}: {job}.artifacts.reports.junit is {other.NodeType}"),
        };

    /// <summary>Each `needs` entry of a job: the job it needs and whether it takes that job's artifacts.</summary>
    public IReadOnlyList<(string Job, bool Artifacts)> Needs(string job) =>
        Seq(Job(job), "needs").Select(n => n switch
        {
            YamlScalarNode name => (name.Value!, true),
            YamlMappingNode entry => (Scalar(entry, "job"), !entry.Children.ContainsKey(new YamlScalarNode("artifacts")) || Scalar(entry, "artifacts") == "true"),
            _ => throw new InvalidDataException($"{Path}: {job}.needs has a {n.NodeType}"),
        }).ToArray();

    public IReadOnlyList<int> AllowFailureExitCodes(string job) =>
        Strings(Seq(Map(Job(job), "allow_failure"), "exit_codes")).Select(int.Parse).ToArray();

    /// <summary>The exit codes a job's script lets pass: its `case "$code" in A|B) ;;` line.</summary>
    public IReadOnlyList<int> ScriptAcceptedExitCodes(string job) =>
        AcceptedCodes().Match(Script(job)) is { Success: true } m
            ? m.Groups[1].Value.Split('|').Select(int.Parse).ToArray()
            : throw new InvalidDataException($"{Path}: {job}'s script has no `case \"$code\" in A|B) ;;` line");

    [GeneratedRegex(@"case ""\$code"" in ([0-9|]+)\) ;;")]
    private static partial Regex AcceptedCodes();

    private YamlMappingNode Job(string name) => Map(_root, name);

    private YamlMappingNode Map(YamlMappingNode node, string key) =>
        Child(node, key) as YamlMappingNode ?? throw new InvalidDataException($"{Path}: {key} is not a mapping");

    private YamlSequenceNode Seq(YamlMappingNode node, string key) =>
        Child(node, key) as YamlSequenceNode ?? throw new InvalidDataException($"{Path}: {key} is not a list");

    private string Scalar(YamlMappingNode node, string key) =>
        (Child(node, key) as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{Path}: {key} is not a scalar");

    private YamlNode Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child
        : throw new InvalidDataException($"{Path}: no `{key}` at line {node.Start.Line}");

    private static string[] Strings(YamlSequenceNode node) => node.Cast<YamlScalarNode>().Select(s => s.Value!).ToArray();
}
