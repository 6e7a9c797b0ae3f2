using Harness.Config;
using Harness.Errors;
using Harness.Matrix;
using Harness.Tests.Support;

namespace Harness.Tests.Matrix;

public class MatrixConfigReaderTests
{
    private TempDirectory _temp = null!;

    private const string Defaults = """
        defaults:
          tree:
            debian-package: linux-source-6.12
          series: series-a
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
        _temp.Write("kconfig/base.config", "CONFIG_BPF_SYSCALL=y\n");
        foreach (var arch in Checkout.Arches.Names.Select(Checkout.Arch)) foreach (var fragment in arch.KconfigFragments) _temp.Write($"kconfig/{fragment}", "CONFIG_64BIT=y\n");
        Directory.CreateDirectory(_temp.Combine("series-a"));
        Directory.CreateDirectory(_temp.Combine("series-b"));
        Directory.CreateDirectory(_temp.Combine("selftests"));
        Directory.CreateDirectory(_temp.Combine("other-selftests"));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private MatrixConfig Read(string yaml) => MatrixConfigReader.Read(_temp.Write("matrix.yaml", yaml), Checkout.Arches);

    [Test]
    public void Every_combination_of_the_axes_is_a_cell_named_by_its_entries_with_the_defaults_under_it()
    {
        var matrix = Read(Defaults + """

            arches: [x86_64, arm64]
            series:
              - name: a
                series: series-a
              - name: b
                series: series-b
                baseline: {enabled: false}
            selftests:
              - name: ours
                selftests: selftests
              - name: other
                selftests: other-selftests
            """);

        Assert.Multiple(() =>
        {
            Assert.That(matrix.Cells.Select(c => c.Name), Is.EqualTo(new[] { "a_ours", "a_other", "b_ours", "b_other" }));
            Assert.That(matrix.Cell("b_other").Config.SeriesDirectory, Is.EqualTo(_temp.Combine("series-b")));
            Assert.That(matrix.Cell("b_other").Config.SelftestsDirectory, Is.EqualTo(_temp.Combine("other-selftests")));
            Assert.That(matrix.Cell("b_other").Config.BaselineEnabled, Is.False);
            Assert.That(matrix.Cell("a_ours").Config.BaselineEnabled, Is.True);
            Assert.That(matrix.Cell("a_ours").Config.Arches.Select(a => a.Name), Is.EqualTo(new[] { "x86_64", "arm64" }));
            Assert.That(matrix.Units, Has.Count.EqualTo(8));
            Assert.That(matrix.OutputDirectory, Is.EqualTo(_temp.Combine("results")));
        });
    }

    [Test]
    public void An_entry_replaces_its_axis_keys_together_so_other_selftests_do_not_inherit_the_default_overlay()
    {
        _temp.Write("selftests/expectations.yaml", "programs: {}\n");
        var matrix = Read(Defaults.Replace("  selftests: selftests\n", "  selftests: selftests\n  expectations: selftests/expectations.yaml\n") + """

            selftests:
              - name: ours
                selftests: selftests
                expectations: selftests/expectations.yaml
              - name: other
                selftests: other-selftests
            """);

        Assert.Multiple(() =>
        {
            Assert.That(matrix.Cell("ours").Config.ExpectationsFile, Is.EqualTo(_temp.Combine("selftests", "expectations.yaml")));
            Assert.That(matrix.Cell("other").Config.ExpectationsFile, Is.Null);
        });
    }

    [Test]
    public void A_matrix_without_axes_is_one_cell_named_default()
    {
        var matrix = Read(Defaults);

        Assert.That(matrix.Cells.Select(c => c.Name), Is.EqualTo(new[] { "default" }));
    }

    [Test]
    public void The_defaults_give_every_cell_its_prepare_limit_and_a_zero_limit_is_refused_at_its_line()
    {
        var matrix = Read(Defaults + "\n  timeouts:\n    prepare: 600\n");
        var error = Assert.Throws<BadInputException>(() => Read(Defaults + "\n  timeouts:\n    prepare: 0\n"))!;

        Assert.That(matrix.Cells.Select(c => c.Config.Timeouts.Prepare), Is.EqualTo(new[] { 600 }));
        Assert.That(error.Message, Does.StartWith(_temp.Combine("matrix.yaml") + ":11:").And.EndWith("timeouts.prepare' is 0. Give a number of seconds greater than 0."));
    }

    [Test]
    public void The_shipped_nightly_matrix_is_valid()
    {
        var matrix = MatrixConfigReader.Read(Path.Combine(Checkout.Layout.ConfigsDirectory, "matrix.yaml"), Checkout.Arches);

        Assert.That(matrix.Units.Select(u => u.ToString()), Does.Contain("debian-6.12_async-kfunc-suffixes_async-kfunc/x86_64")
            .And.Contain("debian-6.12_async-kfunc-suffixes_async-kfunc/arm64"));
    }

    [TestCase("colour: blue\n", "matrix.yaml:10:1: unknown key 'colour'. Allowed here: defaults, arches, trees, series, selftests.")]
    [TestCase("series:\n  - name: a\n    selftests: selftests\n", "matrix.yaml:12:5: unknown key 'series[0].selftests'. Allowed here: name, series, baseline.")]
    [TestCase("series:\n  - name: a\n    series: nowhere\n", "matrix.yaml:12:13: 'series' names '", "nowhere', which is not a directory.")]
    [TestCase("series:\n  - name: a\n    series: series-a\n  - name: a\n    series: series-b\n", "matrix.yaml:13:11: 'series[1].name' 'a' is already the name of another entry of 'series'.")]
    [TestCase("series:\n  - name: a_b\n    series: series-a\n", "matrix.yaml:11:11: 'series[0].name' 'a_b' is not a usable cell name part.")]
    [TestCase("series:\n  - name: a\n", "matrix.yaml:11:5: 'series[0]' sets none of series, baseline. Add what this entry changes.")]
    [TestCase("series: []\n", "matrix.yaml:10:9: 'series' is empty.")]
    [TestCase("arches: [x86_64, riscv64]\n", "matrix.yaml:10:18: 'arches[1]' Unknown arch 'riscv64'. Available: arm64, x86_64")]
    [TestCase("trees:\n  - name: mine\n    tree: {flavour: x}\n", "matrix.yaml:12:12: unknown key 'tree.flavour'. Allowed here: debian-package, path, ref.")]
    public void Rejects_a_bad_matrix_naming_file_line_and_column(string appended, params string[] expected)
    {
        var e = Assert.Throws<BadInputException>(() => Read(Defaults + "\n" + appended))!;

        foreach (var part in expected) Assert.That(e.Message, Does.Contain(part));
        Assert.That(e.Message, Does.StartWith(_temp.Combine("matrix.yaml")));
    }

    [Test]
    public void Rejects_a_matrix_without_defaults()
    {
        var e = Assert.Throws<BadInputException>(() => Read("arches: [x86_64]\n"))!;

        Assert.That(e.Message, Does.Contain("matrix.yaml:1:1: is missing the required key 'defaults'. Add it."));
    }

    [Test]
    public void A_key_the_defaults_lack_is_named_at_the_defaults()
    {
        var e = Assert.Throws<BadInputException>(() => Read(Defaults.Replace("  selftests: selftests\n", "")))!;

        Assert.That(e.Message, Does.Contain("matrix.yaml:2:3: is missing the required key 'selftests'. Add it."));
    }
}
