using Harness.Run;
using Harness.Verdicts;

namespace Harness.Tests.Run;

/// <summary>
/// Flakes: programs not as expected are loaded again; the same result every time counts, a changing one is Flaky.
/// The loads go through <see cref="GuestLoads"/> into a fake guest whose loader answers per attempt.
/// </summary>
[Category("Faults")]
public class FlakeRetryTests
{
    private static ProgramExpectation Expect(string program, ExpectedVerdict verdict) => new()
    {
        Object = "a.bpf.o", Program = program, Section = "tc", Verdict = verdict, HasExpectations = true,
    };

    private static readonly IReadOnlyList<ProgramExpectation> Expectations =
        [Expect("steady", ExpectedVerdict.Success), Expect("broken", ExpectedVerdict.Success), Expect("flaky", ExpectedVerdict.Success)];

    /// <summary>steady always accepts, broken always rejects, flaky rejects on the first attempt only.</summary>
    private static string Verdict(string key, int attempt) => key switch
    {
        "a.bpf.o:broken" => "reject",
        "a.bpf.o:flaky" => attempt == 1 ? "reject" : "accept",
        _ => "accept",
    };

    private static async Task<(IReadOnlyList<ProgramResult> Programs, FakeLoaderGuest Guest)> RunAsync(KernelRole kernel, int retries, CancellationToken cancellationToken)
    {
        var guest = new FakeLoaderGuest(LoaderEnding.Finishes, 0, Verdict);
        await using var loads = new GuestLoads(new GuestLoadSettings("harness-loader", TimeSpan.FromSeconds(5), 0), (_, _) => Task.FromResult<ILoaderGuest>(guest), _ => { });
        var programs = LoaderPrograms.For(Expectations, ExpectationOverlay.Empty, "x86_64", kernel);
        var batch = await loads.LoadAsync(programs, cancellationToken);
        var (judged, _) = FaultJudge.JudgeBatch("x86_64", kernel, Expectations, ExpectationOverlay.Empty, batch);
        var settled = await new ProgramRetries(loads, Expectations, ExpectationOverlay.Empty, "x86_64", kernel, retries, _ => { })
            .RunAsync(judged, batch.Faults.Keys.ToArray(), cancellationToken);
        return (settled, guest);
    }

    private static ProgramOutcome Outcome(IReadOnlyList<ProgramResult> programs, string program) =>
        programs.Single(p => p.Expectation.Program == program).Outcome;

    [Test, CancelAfter(10_000)]
    public async Task A_result_that_changes_between_attempts_is_flaky_and_a_steady_failure_stays_a_failure(CancellationToken cancellationToken)
    {
        var (programs, guest) = await RunAsync(KernelRole.Patched, retries: 2, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(Outcome(programs, "steady").Status, Is.EqualTo(OutcomeStatus.Pass));
            Assert.That(Outcome(programs, "steady").Attempts, Is.Empty, "a pass is not loaded again");
            Assert.That(Outcome(programs, "broken").Status, Is.EqualTo(OutcomeStatus.Fail));
            Assert.That(Outcome(programs, "broken").Attempts, Has.Count.EqualTo(3));
            Assert.That(Outcome(programs, "broken").Reason, Does.EndWith("(the same in all 3 attempts)"));
            Assert.That(Outcome(programs, "flaky").Status, Is.EqualTo(OutcomeStatus.Flaky));
            Assert.That(Outcome(programs, "flaky").Reason, Is.EqualTo(
                "flaky: the result changed between 2 attempts: 1: reject (errno 13) [fail]; 2: accept [pass]"));
            // Attempt 2 takes both; attempt 3 only the one whose result has not changed yet.
            Assert.That(guest.Commands, Has.Count.EqualTo(3));
            Assert.That(guest.Jobs[2].Select(j => j.Program), Is.EqualTo(new[] { "broken" }));
        });
    }

    [TestCase(KernelRole.Patched, 0)]
    [TestCase(KernelRole.Baseline, 2)]
    [CancelAfter(10_000)]
    public async Task Nothing_is_loaded_again_with_no_retries_or_on_a_baseline_kernel(KernelRole kernel, int retries, CancellationToken cancellationToken)
    {
        var (programs, guest) = await RunAsync(kernel, retries, cancellationToken);

        Assert.That(guest.Commands, Has.Count.EqualTo(1));
        Assert.That(programs.Select(p => p.Outcome.Status), Has.None.EqualTo(OutcomeStatus.Flaky));
    }

    [Test]
    public void Faulted_and_splatting_programs_are_not_retried()
    {
        ProgramResult Failed(string program, string kmsg = "") => new(Expect(program, ExpectedVerdict.Success),
            new ProgramOutcome { Status = OutcomeStatus.Error, Reason = "x" },
            new LoadResult { Object = "a.bpf.o", Program = program, Section = "tc", Verdict = LoadVerdict.Error, Kmsg = kmsg });

        var candidates = FlakeRetry.Candidates(
            [Failed("plain"), Failed("oops", "BUG: kernel NULL pointer dereference\n"), Failed("hung")], ["a.bpf.o:hung"], heldToExpectations: true);

        Assert.That(candidates, Is.EqualTo(new[] { "a.bpf.o:plain" }));
    }
}
