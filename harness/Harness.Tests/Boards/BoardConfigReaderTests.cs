using Harness.Boards;
using Harness.Config;
using Harness.Errors;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Boards;

public class BoardConfigReaderTests
{
    private const string HostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlR78RAAuD68ZmmHvm1kxzP0BbImFfXKVFM4u2Edcbb";

    private const string ValidBoard = """
        kind: ssh
        name: rock-1
        arch: arm64
        kernel: patched
        host: 127.0.0.1
        port: 2222
        user: root
        private-key: id_board
        known-hosts: known_hosts
        """;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _temp.Write("id_board", "not read until connecting\n");
        _temp.Write("known_hosts", $"# lab\n[127.0.0.1]:2222 {HostKey}\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Board(string replacement) => _temp.Write("board.yaml", Replace(ValidBoard, replacement));

    [Test]
    public void Reads_a_board_with_paths_relative_to_its_file_and_the_known_hosts_key_for_its_port()
    {
        var board = BoardConfigReader.ReadFile(Board(""), Checkout.Arches);

        Assert.Multiple(() =>
        {
            Assert.That(board.Name, Is.EqualTo("rock-1"));
            Assert.That(board.Arch.Name, Is.EqualTo("arm64"));
            Assert.That(board.Kernel, Is.EqualTo(KernelRole.Patched));
            Assert.That((board.Host, board.Port, board.User), Is.EqualTo(("127.0.0.1", 2222, "root")));
            Assert.That(board.PrivateKeyFile, Is.EqualTo(_temp.Combine("id_board")));
            Assert.That(board.HostKeys.KeyLines, Is.EqualTo(new[] { HostKey }));
            Assert.That(board.HostKeys.Source, Is.EqualTo("known_hosts " + _temp.Combine("known_hosts")));
            Assert.That(board.WorkDirectory, Is.EqualTo("/tmp/harness-board"));
            Assert.That(board.Describe, Is.EqualTo("ssh rock-1 (127.0.0.1:2222)"));
        });
    }

    [Test]
    public void Takes_the_host_key_line_instead_of_a_known_hosts_file()
    {
        var board = BoardConfigReader.ReadFile(Board($"known-hosts: known_hosts=host-key: {HostKey} comment"), Checkout.Arches);

        Assert.That(board.HostKeys.KeyLines, Is.EqualTo(new[] { HostKey }));
        Assert.That(board.HostKeys.Source, Does.Match(@"^host-key at .*board\.yaml:9:\d+$"));
    }

    [TestCase("kind: ssh=kind: serial", "board.yaml:1:7: 'kind' is 'serial'. The only target kind is 'ssh'")]
    [TestCase("name: rock-1=name: rock 1", "board.yaml:2:7: 'name' is 'rock 1'. Use letters, digits")]
    [TestCase("arch: arm64=arch: riscv64", "board.yaml:3:7: 'arch' Unknown arch 'riscv64'. Available: arm64, x86_64")]
    [TestCase("kernel: patched=kernel: latest", "board.yaml:4:9: 'kernel' is 'latest'. Say which of the run's kernels the board runs: patched or baseline.")]
    [TestCase("port: 2222=port: 70000", "board.yaml:6:7: 'port' is 70000. Give a TCP port from 1 to 65535")]
    [TestCase("port: 2222=port: ssh", "board.yaml:6:7: 'port' must be a whole number (found 'ssh').")]
    [TestCase("host: 127.0.0.1=hostname: 127.0.0.1", "board.yaml:5:1: unknown key 'hostname'. Allowed here: kind, name, arch, kernel, host,")]
    [TestCase("private-key: id_board=private-key: id_missing", "board.yaml:8:14: 'private-key' names the private key file '", "id_missing', which does not exist.")]
    [TestCase("known-hosts: known_hosts=known-hosts: nowhere", "board.yaml:9:14: 'known-hosts' names '", "nowhere', which does not exist.")]
    [TestCase("known-hosts: known_hosts=host-key: not-a-key", "board.yaml:9:11: 'host-key' is not an OpenSSH public key line")]
    [TestCase("known-hosts: known_hosts=", "board.yaml:1:1: has neither 'known-hosts' nor 'host-key'.")]
    [TestCase("port: 2222=port: 2200", "'known-hosts' names '", "which holds no key for [127.0.0.1]:2200. Add the board's key")]
    [TestCase("user: root=work-dir: tmp/x", "board.yaml:7:11: 'work-dir' is 'tmp/x'. Give an absolute directory")]
    [TestCase("user: root=kexec: true", "board.yaml:7:8: 'kexec' is true, but kexec is not supported: the harness builds its kernels without CONFIG_KEXEC")]
    public void Rejects_a_bad_board_naming_file_line_column_and_fix(string replacement, params string[] expected)
    {
        var error = Assert.Throws<BadInputException>(() => BoardConfigReader.ReadFile(Board(replacement), Checkout.Arches))!;

        foreach (var part in expected) Assert.That(error.Message, Does.Contain(part));
    }

    [Test]
    public void Refuses_both_a_known_hosts_file_and_a_host_key_line()
    {
        var error = Assert.Throws<BadInputException>(() =>
            BoardConfigReader.ReadFile(Board($"user: root=host-key: {HostKey}"), Checkout.Arches))!;

        Assert.That(error.Message, Does.Contain("has both 'known-hosts' and 'host-key'. Keep one"));
    }

    [Test]
    public void The_shipped_example_board_parses_once_its_key_and_known_hosts_exist()
    {
        var example = File.ReadAllText(Path.Combine(Checkout.Layout.ConfigsDirectory, "boards", "example-board.yaml"));
        _temp.Write("known_hosts", $"192.0.2.10 {HostKey}\n");
        var text = example
            .Replace("~/.ssh/harness-board", _temp.Combine("id_board"))
            .Replace("known-hosts: ~/.ssh/known_hosts", "known-hosts: " + _temp.Combine("known_hosts"));

        var board = BoardConfigReader.ReadFile(_temp.Write("example.yaml", text), Checkout.Arches);

        Assert.That((board.Name, board.Arch.Name, board.Kernel, board.Port), Is.EqualTo(("example-board", "arm64", KernelRole.Patched, 22)));
    }

    [Test]
    public void The_shipped_example_board_names_the_missing_key_as_it_stands()
    {
        var example = Path.Combine(Checkout.Layout.ConfigsDirectory, "boards", "example-board.yaml");
        if (File.Exists(RunConfigReader.ResolvePath("/", "~/.ssh/harness-board"))) Assert.Inconclusive("this machine has ~/.ssh/harness-board");

        var error = Assert.Throws<BadInputException>(() => BoardConfigReader.ReadFile(example, Checkout.Arches))!;

        Assert.That(error.Message, Does.Contain("example-board.yaml:").And.Contain("'private-key' names the private key file").And.Contain(".ssh/harness-board"));
    }

    [Test]
    public void Run_config_targets_take_board_files_and_inline_boards()
    {
        var file = Board("");
        var list = YamlNodeReader.Parse(_temp.Combine("run.yaml"),
            $"targets:\n  - board.yaml\n  - {{kind: ssh, name: x86-box, arch: x86_64, kernel: baseline, host: 127.0.0.1, port: 2222, private-key: id_board, known-hosts: known_hosts}}\n");

        var boards = BoardConfigReader.ReadList(list.Optional("targets"), _temp.Path, Checkout.Arches);

        Assert.That(boards.Select(b => $"{b.Name} {b.Arch.Name} {b.Kernel} {b.SourceFile}"), Is.EqualTo(new[]
        {
            $"rock-1 arm64 Patched {file}:1:1",
            $"x86-box x86_64 Baseline {_temp.Combine("run.yaml")}:3:5",
        }));
    }

    [Test]
    public void Refuses_two_boards_for_the_same_arch_and_kernel()
    {
        Board("");
        var list = YamlNodeReader.Parse(_temp.Combine("run.yaml"), "targets: [board.yaml, board.yaml]\n");

        var error = Assert.Throws<BadInputException>(() => BoardConfigReader.ReadList(list.Optional("targets"), _temp.Path, Checkout.Arches))!;

        Assert.That(error.Message, Does.Contain("both run the arm64 patched kernel. Keep one board per arch and kernel."));
    }

    [Test]
    public void Refuses_a_target_entry_naming_a_missing_board_file()
    {
        var list = YamlNodeReader.Parse(_temp.Combine("run.yaml"), "targets:\n  - boards/absent.yaml\n");

        var error = Assert.Throws<BadInputException>(() => BoardConfigReader.ReadList(list.Optional("targets"), _temp.Path, Checkout.Arches))!;

        Assert.That(error.Message, Does.StartWith(_temp.Combine("run.yaml") + ":2:5: 'targets[0]' names the board file '").And.Contain("absent.yaml', which does not exist."));
    }

    /// <summary>"old=new" replaces a line (new empty: the line goes); "" keeps the board as it is.</summary>
    private static string Replace(string yaml, string replacement)
    {
        if (replacement.Length == 0) return yaml + "\n";
        var (old, @new) = (replacement[..replacement.IndexOf('=')], replacement[(replacement.IndexOf('=') + 1)..]);
        var lines = yaml.Split('\n').ToList();
        var at = lines.FindIndex(l => l == old);
        if (at < 0) throw new ArgumentException($"no line '{old}'");
        if (@new.Length == 0) lines.RemoveAt(at);
        else lines[at] = @new;
        return string.Join('\n', lines) + "\n";
    }
}
