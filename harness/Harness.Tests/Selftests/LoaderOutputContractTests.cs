using System.Text.Json;
using NUnit.Framework;

namespace Harness.Tests.Selftests;

/// <summary>
/// The loader's output contract, checked on its real output from the patched x86_64 kernel
/// (Fixtures/loader/x86_64-patched.jsonl): one JSON object per line, these fields in this order.
/// </summary>
public class LoaderOutputContractTests
{
    private static readonly string[] Fields =
    [
        "object", "program", "section", "verdict", "errno", "error", "insns_processed", "peak_states",
        "total_states", "max_states_per_insn", "verify_usec", "log",
    ];

    private static List<JsonElement> Lines() =>
        File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "loader", "x86_64-patched.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Test]
    public void Every_line_has_the_agreed_fields_in_order()
    {
        foreach (var line in Lines())
            Assert.That(line.EnumerateObject().Select(p => p.Name), Is.EqualTo(Fields));
    }

    [Test]
    public void The_loader_adds_each_loads_kernel_messages_as_the_last_field()
    {
        var lines = File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "loader", "x86_64-patched-oops.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

        foreach (var line in lines)
            Assert.That(line.EnumerateObject().Select(p => p.Name), Is.EqualTo(Fields.Append("kmsg")));
        Assert.That(lines.Count(l => l.GetProperty("kmsg").GetString()!.Contains("Oops:")), Is.EqualTo(2));
    }

    [Test]
    public void Reports_the_verifier_stats_of_every_program_the_kernel_saw()
    {
        foreach (var line in Lines().Where(l => l.GetProperty("verdict").GetString() != "error"))
        {
            Assert.That(line.GetProperty("insns_processed").GetInt64(), Is.GreaterThan(0), line.GetProperty("program").GetString());
            Assert.That(line.GetProperty("log").GetString(), Does.Contain("processed "));
        }
    }

    [Test]
    public void A_program_that_oopses_the_verifier_is_an_error_line_and_the_run_goes_on()
    {
        var lines = Lines();
        var oops = lines.Single(l => l.GetProperty("program").GetString() == "wq_null_map_start");

        Assert.That(oops.GetProperty("verdict").GetString(), Is.EqualTo("error"));
        Assert.That(oops.GetProperty("error").GetString(), Does.Contain("killed by signal"));
        Assert.That(oops.GetProperty("peak_states").GetInt64(), Is.EqualTo(-1), "stats the kernel never reported are -1");
        Assert.That(lines, Has.Count.EqualTo(65));
    }
}
