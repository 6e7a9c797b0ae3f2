using NUnit.Framework;
using Harness.Config;
using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Config;

public class RunConfigReaderTests
{
    private TempDirectory _temp = null!;
    private ArchRegistry _arches = null!;

    private const string ValidRun = """
        tree:
          debian-package: linux-source-6.12
        series: series
        arches: [x86_64]
        selftests: selftests
        kconfig:
          directory: kconfig
          fragments: [base.config]
        """;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        // The real arch files of the checkout: these tests also prove they parse.
        var repoArch = Path.Combine(FindCheckout(), "configs", "arch");
        foreach (var file in Directory.GetFiles(repoArch, "*.yaml")) File.Copy(file, _temp.Combine("arch", Path.GetFileName(file)).Also(EnsureDir));
        _temp.Write("kconfig/base.config", "CONFIG_BPF_SYSCALL=y\n");
        _temp.Write("kconfig/x86_64.config", "CONFIG_64BIT=y\n");
        _temp.Write("kconfig/arm64.config", "CONFIG_PCI=y\n");
        Directory.CreateDirectory(_temp.Combine("series"));
        Directory.CreateDirectory(_temp.Combine("selftests"));
        _arches = ArchRegistry.Load(_temp.Combine("arch"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Reads_the_tree_suites_from_configs_suites_beside_the_arch_files()
    {
        _temp.Write("suites/verifier.yaml", "name: verifier\nsources: [progs/verifier_*.c]\ninclude-dirs: [progs]\n");

        var config = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun + "\ntree-suites: [verifier]\n"), _arches);

        Assert.That(config.TreeSuites.Select(s => s.Name), Is.EqualTo(new[] { "verifier" }));
    }

    [Test]
    public void Reads_a_valid_config_with_paths_relative_to_the_file()
    {
        var config = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun), _arches);

        Assert.That(config.Tree, Is.EqualTo(new TreeSource.DebianPackage("linux-source-6.12")));
        Assert.That(config.SeriesDirectory, Is.EqualTo(_temp.Combine("series")));
        Assert.That(config.Arches.Select(a => a.Name), Is.EqualTo(new[] { "x86_64" }));
        Assert.That(config.KconfigBase, Is.EqualTo("tinyconfig"));
    }

    [TestCase("tree:\n  debian-package: linux-source-6.12\n  flavour: x\n", "run.yaml:3:3: unknown key 'tree.flavour'. Allowed here: debian-package, path, ref.")]
    [TestCase("timeouts:\n  build: soon\n", "run.yaml:", "'timeouts.build' must be a whole number (found 'soon').")]
    [TestCase("timeouts:\n  prepare: an hour\n", "run.yaml:", "'timeouts.prepare' must be a whole number (found 'an hour').")]
    [TestCase("timeouts:\n  prepare: 0\n", "run.yaml:", "'timeouts.prepare' is 0. Give a number of seconds greater than 0.")]
    [TestCase("timeouts:\n  prepare: -5\n", "run.yaml:", "'timeouts.prepare' is -5. Give a number of seconds greater than 0.")]
    [TestCase("timeouts:\n  build: 0\n", "run.yaml:", "'timeouts.build' is 0. Give a number of seconds greater than 0.")]
    [TestCase("timeouts:\n  boot: -1\n", "run.yaml:", "'timeouts.boot' is -1. Give a number of seconds greater than 0.")]
    [TestCase("timeouts:\n  command: 0\n", "run.yaml:", "'timeouts.command' is 0. Give a number of seconds greater than 0.")]
    [TestCase("timeouts:\n  program: 0\n", "run.yaml:", "'timeouts.program' is 0. Give a number of seconds greater than 0.")]
    [TestCase("arches: [x86_64, riscv64]\n", "run.yaml:", "'arches[1]' Unknown arch 'riscv64'. Available: arm64, x86_64")]
    [TestCase("baseline:\n  enabled: maybe\n", "'baseline.enabled' must be true or false (found 'maybe').")]
    [TestCase("series: nowhere\n", "'series' names '", "which is not a directory")]
    [TestCase("retries: -1\n", "run.yaml:", "'retries' is -1. Give 0 or more.")]
    [TestCase("tree-suites: [nope]\n", "run.yaml:", "Unknown tree suite 'nope'. Available: none (", "describe nope in")]
    [TestCase("reboots: many\n", "run.yaml:", "'reboots' must be a whole number (found 'many').")]
    [TestCase("colour: blue\n", "run.yaml:", "unknown key 'colour'. Allowed here: tree, series,")]
    [TestCase("cost-growth:\n  percent: -5\n", "run.yaml:", "'cost-growth.percent' must be 0 or more (found -5).")]
    [TestCase("cost-growth:\n  ratio: 2\n", "run.yaml:", "unknown key 'cost-growth.ratio'. Allowed here: percent, insns, states.")]
    public void Rejects_a_bad_run_config_naming_file_line_and_column(string replacement, params string[] expected)
    {
        var file = _temp.Write("run.yaml", Replace(ValidRun, replacement));

        var error = Assert.Throws<BadInputException>(() => RunConfigReader.Read(file, _arches))!;

        Assert.That(error.Message, Does.Match(@"run\.yaml:\d+:\d+: "));
        foreach (var part in expected) Assert.That(error.Message, Does.Contain(part));
    }

    [Test]
    public void Reads_the_cost_growth_thresholds_keeping_the_defaults_for_keys_left_out()
    {
        var config = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun + "\ncost-growth:\n  percent: 20\n  insns: 500\n"), _arches);

        Assert.That(config.CostGrowth, Is.EqualTo(new Harness.Compare.CostThresholds(20, 500, 10)));
        Assert.That(RunConfigReader.Read(_temp.Write("run.yaml", ValidRun), _arches).CostGrowth, Is.EqualTo(new Harness.Compare.CostThresholds(50, 1000, 10)));
    }

    [Test]
    public void Reads_boards_listed_under_targets_relative_to_the_file()
    {
        _temp.Write("boards/id", "key\n");
        _temp.Write("boards/known_hosts", "[10.0.0.7]:2200 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlR78RAAuD68ZmmHvm1kxzP0BbImFfXKVFM4u2Edcbb\n");
        _temp.Write("boards/b1.yaml", "kind: ssh\nname: b1\narch: x86_64\nkernel: patched\nhost: 10.0.0.7\nport: 2200\nprivate-key: id\nknown-hosts: known_hosts\n");

        var config = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun + "\ntargets: [boards/b1.yaml]\n"), _arches);

        Assert.That(config.Boards.Select(b => b.Describe), Is.EqualTo(new[] { "ssh b1 (10.0.0.7:2200)" }));
    }

    [Test]
    public void Reads_the_prepare_limit_and_defaults_it_to_half_an_hour()
    {
        var defaults = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun), _arches);
        var set = RunConfigReader.Read(_temp.Write("set.yaml", ValidRun + "\ntimeouts:\n  prepare: 600\n"), _arches);

        Assert.That(defaults.Timeouts.Prepare, Is.EqualTo(1800));
        Assert.That(set.Timeouts, Is.EqualTo(Timeouts.Default with { Prepare = 600 }), "the other limits keep their defaults");
    }

    [Test]
    public void Reads_retries_and_reboots_and_defaults_them()
    {
        var defaults = RunConfigReader.Read(_temp.Write("run.yaml", ValidRun), _arches);
        var set = RunConfigReader.Read(_temp.Write("set.yaml", ValidRun + "\nretries: 0\nreboots: 5\n"), _arches);

        Assert.That((defaults.Retries, defaults.Reboots), Is.EqualTo((2, 3)));
        Assert.That((set.Retries, set.Reboots), Is.EqualTo((0, 5)));
    }

    [Test]
    public void Rejects_a_missing_config_file_naming_it()
    {
        var error = Assert.Throws<BadInputException>(() => RunConfigReader.Read(_temp.Combine("absent.yaml"), _arches))!;

        Assert.That(error.Message, Does.StartWith(_temp.Combine("absent.yaml") + ": file not found."));
    }

    [Test]
    public void Rejects_a_missing_kconfig_fragment_naming_it_and_the_directory()
    {
        File.Delete(_temp.Combine("kconfig", "base.config"));

        var error = Assert.Throws<BadInputException>(() => RunConfigReader.Read(_temp.Write("run.yaml", ValidRun), _arches))!;

        Assert.That(error.Message, Does.Contain("names fragment 'base.config', not found in " + _temp.Combine("kconfig")));
    }

    [Test]
    public void Rejects_an_arch_file_with_a_wrong_type_naming_its_position()
    {
        var text = File.ReadAllText(_temp.Combine("arch", "x86_64.yaml")).Replace("cpus: 1", "cpus: [1, 2]");
        File.WriteAllText(_temp.Combine("arch", "x86_64.yaml"), text);

        var error = Assert.Throws<BadInputException>(() => ArchRegistry.Load(_temp.Combine("arch")))!;

        Assert.That(error.Message, Does.Match(@"x86_64\.yaml:\d+:\d+: 'qemu\.cpus' must be a single value \(found a list\)"));
    }

    [Test]
    public void Unknown_arch_lists_the_available_ones()
    {
        var error = Assert.Throws<BadInputException>(() => _arches.Get("foo"))!;

        Assert.That(error.Message, Does.StartWith("Unknown arch 'foo'. Available: arm64, x86_64 (the NAME.yaml files in " + _temp.Combine("arch") + ")")
            .And.EndWith($"Use one of them, or describe foo in {_temp.Combine("arch", "foo.yaml")}."));
    }

    /// <summary>Replaces the top-level key the replacement starts with, or appends it.</summary>
    private static string Replace(string yaml, string replacement)
    {
        var key = replacement[..replacement.IndexOf(':')];
        var lines = yaml.Split('\n').ToList();
        var start = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (start < 0) return yaml + "\n" + replacement;
        var end = start + 1;
        while (end < lines.Count && lines[end].StartsWith(' ')) end++;
        lines.RemoveRange(start, end - start);
        lines.Insert(start, replacement.TrimEnd('\n'));
        return string.Join('\n', lines);
    }

    private static string FindCheckout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException("checkout not found above " + AppContext.BaseDirectory);
    }

    private static void EnsureDir(string file) => Directory.CreateDirectory(Path.GetDirectoryName(file)!);
}

internal static class FluentExtensions
{
    /// <summary>Runs <paramref name="action"/> on the value and returns it, for inline setup.</summary>
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
