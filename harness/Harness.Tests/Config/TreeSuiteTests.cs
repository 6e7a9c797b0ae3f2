using Harness.Cli;
using Harness.Config;
using Harness.Errors;
using Harness.Selftests;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Config;

public class TreeSuiteTests
{
    private TempDirectory _temp = null!;

    private const string Valid = """
        name: verifier
        sources: [tools/testing/selftests/bpf/progs/verifier_*.c]
        include-dirs: [tools/include/uapi, tools/testing/selftests/bpf]
        """;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Reads_the_checkouts_verifier_suite()
    {
        var suite = TreeSuiteRegistry.Load(Path.Combine(Checkout(), "configs", "suites")).Get("verifier");

        Assert.That(suite.Sources.Select(s => s.Pattern), Does.Contain("tools/testing/selftests/bpf/progs/verifier_*.c"));
        Assert.That(suite.IncludeDirectories, Is.SupersetOf(new[]
            { "tools/include/uapi", "tools/lib", "tools/testing/selftests/bpf", "tools/testing/selftests/bpf/progs" }));
        // The files include "../../../include/linux/filter.h": from tools/include/uapi that is the kernel's own header.
        Assert.That(suite.IncludeDirectories.ToList().IndexOf("tools/testing/selftests/bpf"),
            Is.LessThan(suite.IncludeDirectories.ToList().IndexOf("tools/include/uapi")));
        Assert.That(suite.ExpectationsFile, Does.EndWith("selftests/tree-verifier.expectations.yaml"));
        Assert.That(SuiteMapValue.LoaderText(suite.MapValues, "verifier_value_ptr_arith.bpf.o"), Is.EqualTo("map_array_48b:0=0x1c,28=0xabcdef12"));
    }

    [Test]
    public void Map_values_become_the_loaders_maps_field_for_their_file_only()
    {
        var file = _temp.Write("verifier.yaml", Valid + """

            map-values:
              - {file: verifier_a.c, map: first, u32: {4: 0x10, 0: 7}}
              - {file: verifier_a.c, map: second, u32: {8: 4294967295}}
              - {file: verifier_b.c, map: other, u32: {0: 1}}
            """);

        var suite = TreeSuiteReader.Read(file);

        Assert.That(SuiteMapValue.LoaderText(suite.MapValues, "verifier_a.bpf.o"), Is.EqualTo("first:0=0x7,4=0x10;second:8=0xffffffff"));
        Assert.That(SuiteMapValue.LoaderText(suite.MapValues, "verifier_c.bpf.o"), Is.Null);
    }

    [TestCase("map-values: [{file: a/verifier_a.c, map: m, u32: {0: 1}}]", "verifier.yaml:4:", "by its file name")]
    [TestCase("map-values: [{file: verifier_a.c, map: 'm:x', u32: {0: 1}}]", "verifier.yaml:4:", "map's name")]
    [TestCase("map-values: [{file: verifier_a.c, map: m, u32: {2: 1}}]", "verifier.yaml:4:", "not a multiple of 4")]
    [TestCase("map-values: [{file: verifier_a.c, map: m, u32: {0: -1}}]", "verifier.yaml:4:", "not a 32-bit unsigned number")]
    [TestCase("map-values: [{file: verifier_a.c, map: m, u32: {}}]", "verifier.yaml:4:", "at least one")]
    [TestCase("map-values: [{file: verifier_a.c, map: m, words: {0: 1}}]", "verifier.yaml:4:", "words")]
    public void A_bad_map_value_names_the_file_line_and_fix(string yaml, string where, string fix)
    {
        var file = _temp.Write("verifier.yaml", Valid + "\n" + yaml + "\n");

        var error = Assert.Throws<BadInputException>(() => TreeSuiteReader.Read(file))!;

        Assert.That(error.Message, Does.Contain(where).And.Contain(fix));
    }

    [TestCase("name: verifier\nsource: [a.c]\ninclude-dirs: []\n", "verifier.yaml:2:1", "source")]
    [TestCase("name: other\nsources: [a.c]\ninclude-dirs: []\n", "verifier.yaml:1:", "is 'other' but the file is named 'verifier.yaml'")]
    [TestCase("name: verifier\nsources: []\ninclude-dirs: []\n", "verifier.yaml:2:", "is empty")]
    [TestCase("name: verifier\nsources: [/abs/a.c]\ninclude-dirs: []\n", "verifier.yaml:2:", "relative to the kernel tree")]
    [TestCase("name: verifier\nsources: [../a.c]\ninclude-dirs: []\n", "verifier.yaml:2:", "no '..'")]
    [TestCase("name: verifier\nsources: [a.h]\ninclude-dirs: []\n", "verifier.yaml:2:", "Name C sources (ending in .c)")]
    [TestCase("name: verifier\nsources: [pro*/a.c]\ninclude-dirs: []\n", "verifier.yaml:2:", "only be in the file name")]
    [TestCase("name: verifier\nsources: [a.c]\n", "verifier.yaml", "include-dirs")]
    [TestCase("name: verifier\nsources: [a.c]\ninclude-dirs: []\nexpectations: none.yaml\n", "verifier.yaml:4:", "does not exist")]
    public void Refuses_a_bad_suite_file_naming_file_line_and_the_fix(string yaml, string where, string expected)
    {
        var file = _temp.Write("suites/verifier.yaml", yaml);

        var error = Assert.Throws<BadInputException>(() => TreeSuiteReader.Read(file));

        Assert.That(error!.Message, Does.Contain(where).And.Contain(expected));
    }

    [Test]
    public void An_unknown_suite_name_says_which_exist()
    {
        _temp.Write("suites/verifier.yaml", Valid);

        var error = Assert.Throws<BadInputException>(() => TreeSuiteRegistry.Load(_temp.Combine("suites")).Get("verifer"));

        Assert.That(error!.Message, Does.StartWith("Unknown tree suite 'verifer'. Available: verifier"));
    }

    [Test]
    public void A_suite_file_may_be_named_by_path()
    {
        var file = _temp.Write("mine/verifier.yaml", Valid);

        var suite = TreeSuiteRegistry.Load(_temp.Combine("none")).Get(file);

        Assert.That(suite.Name, Is.EqualTo("verifier"));
    }

    [Test]
    public void A_pattern_matching_no_file_of_the_tree_is_bad_input_naming_where_it_is_written()
    {
        var file = _temp.Write("suites/verifier.yaml", Valid);
        _temp.Write("tree/tools/testing/selftests/bpf/progs/other.c", "");

        var error = Assert.Throws<BadInputException>(() => SelftestSources.OfSuite(TreeSuiteReader.Read(file), _temp.Combine("tree")));

        Assert.That(error!.Message, Does.Contain("verifier.yaml:2:").And.Contain("matches no file of the tree"));
    }

    [Test]
    public void The_suites_files_are_the_trees_matches_in_name_order_with_the_include_path_in_the_tree()
    {
        var file = _temp.Write("suites/verifier.yaml", Valid);
        _temp.Write("tree/tools/testing/selftests/bpf/progs/verifier_b.c", "");
        _temp.Write("tree/tools/testing/selftests/bpf/progs/verifier_a.c", "");
        _temp.Write("tree/tools/testing/selftests/bpf/progs/other.c", "");

        var sources = SelftestSources.OfSuite(TreeSuiteReader.Read(file), _temp.Combine("tree"));

        Assert.That(sources.CSources.Select(Path.GetFileName), Is.EqualTo(new[] { "verifier_a.c", "verifier_b.c" }));
        Assert.That(sources.Suite, Is.EqualTo("verifier"));
        Assert.That(sources.IncludeDirectories[0], Is.EqualTo(_temp.Combine("tree", "tools/include/uapi")));
        Assert.That(sources.PrebuiltObjects, Is.Empty);
    }

    [Test]
    public void The_cli_option_refuses_an_unknown_name_and_a_name_given_twice()
    {
        _temp.Write("suites/verifier.yaml", Valid);
        var registry = TreeSuiteRegistry.Load(_temp.Combine("suites"));

        Assert.That(TreeSuiteOption.Resolve(["verifier"], registry).Single().Name, Is.EqualTo("verifier"));
        Assert.That(Assert.Throws<BadInputException>(() => TreeSuiteOption.Resolve(["nope"], registry))!.Message,
            Does.StartWith("--tree-suite nope: Unknown tree suite 'nope'. Available: verifier"));
        Assert.That(Assert.Throws<BadInputException>(() => TreeSuiteOption.Resolve(["verifier", "verifier"], registry))!.Message,
            Does.Contain("named twice"));
    }

    private static string Checkout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException("checkout not found above " + AppContext.BaseDirectory);
    }
}
