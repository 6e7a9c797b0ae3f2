using System.Text.RegularExpressions;
using Harness.Config;
using Harness.Errors;
using Harness.Ssh;
using Harness.Verdicts;

namespace Harness.Boards;

/// <summary>
/// Reads board targets (kind "ssh") from a board file (configs/boards/*.yaml: one board, its keys at the top
/// level) or from the run config's <c>targets:</c> list (each item a board file's path or an inline mapping).
/// Everything is checked here, before any side effect: the arch exists, the key file exists, the known_hosts
/// file holds a key for [host]:port. Relative paths are taken from the YAML file's directory; "~" is home.
/// </summary>
public static partial class BoardConfigReader
{
    private static readonly string[] Keys =
        ["kind", "name", "arch", "kernel", "host", "port", "user", "private-key", "known-hosts", "host-key", "work-dir", "kexec"];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    /// <summary>One board file.</summary>
    public static BoardTarget ReadFile(string file, ArchRegistry arches) =>
        Read(YamlNodeReader.Load(Path.GetFullPath(file)), BaseDirectory(file), arches);

    /// <summary>The run config's <c>targets:</c> list; <paramref name="baseDirectory"/> is the run config's directory.</summary>
    public static IReadOnlyList<BoardTarget> ReadList(YamlNodeReader? targets, string baseDirectory, ArchRegistry arches)
    {
        if (targets is null) return [];
        var boards = targets.Items().Select(item =>
        {
            if (item.IsMapping) return Read(item, baseDirectory, arches);
            var file = RunConfigReader.ResolvePath(baseDirectory, item.AsString());
            if (!File.Exists(file)) throw item.Error($"names the board file '{file}', which does not exist. Give the path of a board YAML (see configs/boards/example-board.yaml).");
            return ReadFile(file, arches);
        }).ToArray();
        EnsureOnePerKernel(boards);
        return boards;
    }

    /// <summary>Refuses two boards for the same arch and kernel: each (arch, kernel) runs in exactly one place.</summary>
    public static void EnsureOnePerKernel(IReadOnlyList<BoardTarget> boards)
    {
        foreach (var twice in boards.GroupBy(b => (b.Arch.Name, b.Kernel)).Where(g => g.Count() > 1))
            throw new BadInputException(
                $"Boards {string.Join(" and ", twice.Select(b => $"'{b.Name}' ({b.SourceFile})"))} both run the {twice.Key.Name} " +
                $"{twice.Key.Kernel.ToString().ToLowerInvariant()} kernel. Keep one board per arch and kernel.");
    }

    /// <summary>One board from a mapping node.</summary>
    public static BoardTarget Read(YamlNodeReader node, string baseDirectory, ArchRegistry arches)
    {
        node.OnlyKeys(Keys);
        string Resolve(string p) => RunConfigReader.ResolvePath(baseDirectory, p);

        var kind = node.Required("kind");
        if (kind.AsString() != "ssh") throw kind.Error($"is '{kind.AsString()}'. The only target kind is 'ssh' (a board reached over SSH).");
        var nameNode = node.Required("name");
        var name = nameNode.AsString();
        if (!NamePattern().IsMatch(name)) throw nameNode.Error($"is '{name}'. Use letters, digits, '.', '_' and '-' (it names the board in reports).");
        var archNode = node.Required("arch");
        ArchConfig arch;
        try { arch = arches.Get(archNode.AsString()); }
        catch (BadInputException e) { throw archNode.Error(e.Message); }
        var kernelNode = node.Required("kernel");
        var kernel = kernelNode.AsString() switch
        {
            "patched" => KernelRole.Patched,
            "baseline" => KernelRole.Baseline,
            var other => throw kernelNode.Error($"is '{other}'. Say which of the run's kernels the board runs: patched or baseline."),
        };
        var host = node.String("host");
        var portNode = node.Optional("port");
        var port = portNode?.AsInt() ?? 22;
        if (port is < 1 or > 65535) throw portNode!.Error($"is {port}. Give a TCP port from 1 to 65535 (default 22).");
        var user = node.OptionalString("user") ?? "root";

        var keyNode = node.Required("private-key");
        var keyFile = Resolve(keyNode.AsString());
        if (!File.Exists(keyFile))
            throw keyNode.Error($"names the private key file '{keyFile}', which does not exist. Point it at the OpenSSH private key that {user}@{host} accepts.");

        if (node.Optional("kexec") is { } kexec && kexec.AsBool())
            throw kexec.Error("is true, but kexec is not supported: the harness builds its kernels without CONFIG_KEXEC and " +
                              "CONFIG_KEXEC_FILE (configs/kconfig) and its guest image has no kexec-tools. Boot the board into the kernel " +
                              "under test yourself (its /proc/version is checked) and remove 'kexec'.");

        var workNode = node.Optional("work-dir");
        var workDir = workNode?.AsString() ?? "/tmp/harness-board";
        if (!workDir.StartsWith('/') || workDir.TrimEnd('/').Length == 0 || workDir.Contains(' ') || workDir.Contains('\''))
            throw workNode!.Error($"is '{workDir}'. Give an absolute directory on the board other than '/' (no spaces or quotes); the harness creates it and removes it afterwards.");

        var hostKeys = HostKeys(node, Resolve, host, port);
        return new BoardTarget(name, arch, kernel, host, port, user, keyFile, hostKeys, workDir.TrimEnd('/'), node.Where);
    }

    private static BoardHostKeys HostKeys(YamlNodeReader node, Func<string, string> resolve, string host, int port)
    {
        var knownHostsNode = node.Optional("known-hosts");
        var hostKeyNode = node.Optional("host-key");
        if (knownHostsNode is not null && hostKeyNode is not null)
            throw node.Error("has both 'known-hosts' and 'host-key'. Keep one: the board's host key comes from one place.");
        if (hostKeyNode is not null)
        {
            var line = hostKeyNode.AsString();
            try
            {
                return new BoardHostKeys([new HostKeyPin(line).Line], $"host-key at {hostKeyNode.Where}");
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw hostKeyNode.Error($"is not an OpenSSH public key line ('ssh-ed25519 AAAA...'). Copy the board's /etc/ssh/ssh_host_ed25519_key.pub.");
            }
        }
        if (knownHostsNode is null)
            throw node.Error("has neither 'known-hosts' nor 'host-key'. Host keys are always checked: give a known_hosts file holding the board's key, or its public key line.");

        var file = resolve(knownHostsNode.AsString());
        if (!File.Exists(file))
            throw knownHostsNode.Error($"names '{file}', which does not exist. Give a known_hosts file holding the key of {KnownHosts.LookupName(host, port)}.");
        var keys = KnownHosts.KeysFor(KnownHosts.Parse(File.ReadAllText(file)), host, port);
        if (keys.Count == 0)
            throw knownHostsNode.Error(
                $"names '{file}', which holds no key for {KnownHosts.LookupName(host, port)}. Add the board's key, checked out of band " +
                $"(e.g. ssh-keyscan -p {port} {host}, compared with the board's console), as a line '{KnownHosts.LookupName(host, port)} ssh-ed25519 AAAA...'.");
        return new BoardHostKeys(keys.Select(k => k.KeyLine).Distinct().ToArray(), $"known_hosts {file}");
    }

    private static string BaseDirectory(string file) => Path.GetDirectoryName(Path.GetFullPath(file))!;
}
