using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Verdicts;

public class BaselineDiffTests
{
    [Test]
    public void Lists_every_program_whose_verdict_errno_or_message_changed()
    {
        var baseline = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-baseline-sample.jsonl")).Results;
        var patched = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl")).Results;

        var changes = BaselineDiff.Compare("x86_64", baseline, patched);

        Assert.That(changes.Select(c => $"{c.Program}: {c.Flip} [{string.Join(",", c.Changed)}]"), Is.EqualTo(new[]
        {
            "mem_read_in_bounds: reject → accept [verdict,errno,message]",
            "mem_read_out_of_bounds: reject → reject [errno,message]",
            "async_cb_returns_nonzero: reject → accept [verdict,errno,message]",
        }));
        Assert.That(changes[1].BaselineMessage, Is.EqualTo("arg#1 pointer type FUNC_PROTO cb__async must point to scalar, or struct with scalar"));
        Assert.That(changes[1].PatchedMessage, Is.EqualTo("invalid access to memory, mem_size=8 off=16 size=4"));
        Assert.That(changes.All(c => c.Arch == "x86_64"), Is.True);
    }

    [Test]
    public void Lists_a_program_present_in_only_one_run()
    {
        var patched = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl")).Results;

        var changes = BaselineDiff.Compare("arm64", patched.Take(1).ToArray(), patched.Skip(1).Take(1).ToArray());

        Assert.That(changes.Select(c => $"{c.Program}: {c.Flip} [{string.Join(",", c.Changed)}]"), Is.EqualTo(new[]
        {
            "mem_read_out_of_bounds: (none) → reject [missing]",
            "mem_read_in_bounds: accept → (none) [missing]",
        }));
    }

    [Test]
    public void Lists_nothing_when_the_runs_agree()
    {
        var patched = LoaderOutputParser.Parse(Fixture.Text("loader", "x86_64-sample.jsonl")).Results;

        Assert.That(BaselineDiff.Compare("x86_64", patched, patched), Is.Empty);
    }
}
