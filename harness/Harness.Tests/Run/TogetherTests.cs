using Harness.Errors;
using Harness.Run;

namespace Harness.Tests.Run;

public class TogetherTests
{
    [Test, CancelAfter(10_000)]
    public async Task The_first_failure_stops_the_others_and_is_what_the_caller_sees(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var guest = Task.Run(async () => await Task.Delay(Timeout.Infinite, stop.Token), CancellationToken.None);
        // A build that fails only once cancelled, as a killed make does, after the real failure.
        var build = Task.Run(async () =>
        {
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { throw new InfrastructureException("make was killed"); }
        }, CancellationToken.None);
        var compile = Task.Run(async () => { await Task.Yield(); throw new BadInputException("selftest does not compile"); }, CancellationToken.None);

        var e = await Assert.ThrowsAsync<BadInputException>(() => Together.AllAsync([guest, build, compile], stop));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Is.EqualTo("selftest does not compile"));
            Assert.That(guest.IsCanceled && build.IsFaulted, "the others ended");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task All_succeeding_is_success(CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();

        await Together.AllAsync([Task.Delay(10, cancellationToken), Task.CompletedTask], stop);

        Assert.That(stop.IsCancellationRequested, Is.False);
    }
}
