using Harness.Selftests;
using NUnit.Framework;

namespace Harness.Tests.Selftests;

public class ClangDiagnosticsTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "clang", name));

    [Test]
    public void Finds_the_file_line_and_message_of_a_syntax_error()
    {
        var error = ClangDiagnostics.FirstError(Fixture("missing-semicolon.stderr"));

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Location, Is.EqualTo("broken.c:8:18"));
        Assert.That(error.Message, Is.EqualTo("expected ';' at end of declaration"));
        Assert.That(error.Context[0], Does.Contain("int x = skb->len"));
    }

    [Test]
    public void Names_the_header_when_the_error_is_in_an_included_file()
    {
        var error = ClangDiagnostics.FirstError(Fixture("warning-then-header-error.stderr"));

        Assert.That(error!.Location, Is.EqualTo("include/bad.h:1:41"));
        Assert.That(error.Message, Is.EqualTo("use of undeclared identifier 'undefined_name'"));
    }

    [Test]
    public void Skips_warnings_before_the_first_error()
    {
        const string stderr = "a.c:3:5: warning: unused variable 'y' [-Wunused-variable]\n    3 | int y;\n" +
                              "a.c:9:1: error: expected '}'\n";

        var error = ClangDiagnostics.FirstError(stderr);

        Assert.That(error!.Location, Is.EqualTo("a.c:9:1"));
    }

    [Test]
    public void Returns_null_when_clang_printed_no_error_line()
    {
        Assert.That(ClangDiagnostics.FirstError("clang-19: error: unable to execute command: Killed\n"), Is.Null);
    }
}
