using NUnit.Framework;
using Harness.Patches.Import;

namespace Harness.Tests.Patches.Import;

public class KernelIndenterTests
{
    private static string Fixture(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "Fixtures", "Patches", "Import", .. parts]);

    private static string Reindent(params string[] lines)
    {
        var indenter = new KernelIndenter();
        var output = new List<string>();
        foreach (var line in lines)
        {
            var indented = indenter.Indent(line.Trim());
            indenter.Feed(indented);
            output.Add(indented);
        }
        return string.Join("\n", output);
    }

    [Test]
    public void Predicts_the_indentation_of_nearly_every_line_of_verifier_c_from_the_lines_above()
    {
        var lines = File.ReadAllLines(Fixture("tree-6.12", "kernel", "bpf", "verifier.c"));
        var indenter = new KernelIndenter();
        int code = 0, right = 0;
        var wrong = new List<string>();
        foreach (var line in lines)
        {
            if (line.Trim().Length > 0)
            {
                code++;
                var predicted = indenter.Indent(line.Trim());
                if (predicted == line.TrimEnd()) right++;
                else if (wrong.Count < 40) wrong.Add($"{predicted.Replace("\t", "→")}   <- real: {line.Replace("\t", "→")}");
            }
            indenter.Feed(line);
        }
        var share = (double)right / code;
        TestContext.Out.WriteLine($"{right}/{code} = {share:P2}\n" + string.Join("\n", wrong));
        Assert.That(share, Is.GreaterThan(0.97));
    }

    [Test]
    public void Indents_a_function_with_a_switch_and_brace_less_bodies_in_kernel_style()
    {
        var result = Reindent(
            "static int f(struct bpf_verifier_env *env,", "int x)", "{", "switch (x) {", "case 1:", "if (x > 2 &&",
            "x < 4)", "/* why */", "return 1;", "break;", "default:", "x = x +", "1;", "}", "return x;", "}");
        Assert.That(result, Is.EqualTo(
            "static int f(struct bpf_verifier_env *env,\n\t     int x)\n{\n\tswitch (x) {\n\tcase 1:\n\t\tif (x > 2 &&\n\t\t    x < 4)\n" +
            "\t\t\t/* why */\n\t\t\treturn 1;\n\t\tbreak;\n\tdefault:\n\t\tx = x +\n\t\t    1;\n\t}\n\treturn x;\n}"));
    }
}
