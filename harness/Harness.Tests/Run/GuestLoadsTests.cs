using Harness.Errors;
using Harness.Run;

namespace Harness.Tests.Run;

/// <summary>
/// Reboot-and-continue with a fake guest: the program in flight when the guest dies, hangs or the loader crashes is
/// the one fault; the programs after it still get their results, in a new guest when the old one is gone.
/// </summary>
[Category("Faults")]
public class GuestLoadsTests
{
    private static readonly LoaderJob[] Programs =
        Enumerable.Range(1, 5).Select(i => new LoaderJob("/tmp/selftests/a.bpf.o", $"p{i}", false, 0, 0, 0, [], false, false, false)).ToArray();

    private static GuestLoadSettings Settings(int reboots = 2) => new("harness-loader --timeout 1", TimeSpan.FromMilliseconds(300), reboots);

    /// <summary>Boots the given guests in order, recording how many boots there were.</summary>
    private sealed class Boots(params FakeLoaderGuest[] guests)
    {
        public int Count { get; private set; }

        public Task<ILoaderGuest> BootAsync(int boot, CancellationToken cancellationToken) =>
            Count < guests.Length ? Task.FromResult<ILoaderGuest>(guests[Count++]) : throw new InfrastructureException("boot failed: no SSH within 1 s");
    }

    [Test, CancelAfter(10_000)]
    public async Task A_guest_that_dies_mid_run_faults_the_program_in_flight_and_the_rest_run_after_a_reboot(CancellationToken cancellationToken)
    {
        var first = new FakeLoaderGuest(LoaderEnding.GuestDies, 2);
        var second = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        var boots = new Boots(first, second);
        await using var loads = new GuestLoads(Settings(), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Results.Select(r => r.Program), Is.EqualTo(new[] { "p1", "p2", "p4", "p5" }));
            Assert.That(batch.Faults.Keys, Is.EqualTo(new[] { "a.bpf.o:p3" }));
            Assert.That(batch.Faults["a.bpf.o:p3"].Reason, Does.StartWith("the guest died while loading it (QEMU exited after \"Kernel panic"));
            Assert.That(batch.Faults["a.bpf.o:p3"].Evidence, Has.Some.Contains("Kernel panic"));
            Assert.That(second.Jobs.Single().Select(j => j.Program), Is.EqualTo(new[] { "p4", "p5" }));
            Assert.That(second.JobFiles.Paths.Single(), Is.Not.EqualTo(first.JobFiles.Paths.Single()), "a fresh job file for the programs left");
            Assert.That(first.Disposed, Is.True, "the dead guest is torn down");
            Assert.That(first.Killed, Is.False, "a guest that died is torn down the ordinary way");
            Assert.That(loads.Reboots, Is.EqualTo(1));
            Assert.That(loads.Events.Single(), Does.Contain("a.bpf.o:p3").And.Contain("2 program(s) after it go on in a new guest"));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_hang_is_caught_by_the_program_limit_and_the_guest_is_replaced(CancellationToken cancellationToken)
    {
        var first = new FakeLoaderGuest(LoaderEnding.Hangs, 1);
        var second = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        var boots = new Boots(first, second);
        await using var loads = new GuestLoads(Settings(), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Faults.Keys, Is.EqualTo(new[] { "a.bpf.o:p2" }));
            Assert.That(batch.Faults["a.bpf.o:p2"].Reason, Does.StartWith("no result within 0 s (timeouts: program, plus a grace for the loader's own limit): the guest or the loader hung; the guest was killed"));
            Assert.That(batch.Results.Select(r => r.Program), Is.EqualTo(new[] { "p1", "p3", "p4", "p5" }));
            Assert.That(first.Disposed, Is.True);
            Assert.That(first.Killed, Is.True, "a hung guest is killed, not asked to power off");
            Assert.That(boots.Count, Is.EqualTo(2));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_loader_crash_faults_the_program_in_flight_and_goes_on_in_the_same_guest(CancellationToken cancellationToken)
    {
        var guest = new FakeLoaderGuest(LoaderEnding.LoaderCrashes, 3);
        var boots = new Boots(guest);
        await using var loads = new GuestLoads(Settings(), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Faults.Keys, Is.EqualTo(new[] { "a.bpf.o:p4" }));
            Assert.That(batch.Faults["a.bpf.o:p4"].Reason, Is.EqualTo("the loader crashed while loading it (exit -1: Segmentation fault)"));
            Assert.That(batch.Results.Select(r => r.Program), Is.EqualTo(new[] { "p1", "p2", "p3", "p5" }));
            Assert.That(boots.Count, Is.EqualTo(1), "the guest survived: no reboot");
            Assert.That(guest.Commands, Has.Count.EqualTo(2));
            Assert.That(guest.Jobs[1].Select(j => j.Key), Is.EqualTo(new[] { "a.bpf.o:p5" }));
            Assert.That(guest.JobFiles.Paths, Is.EqualTo(new[] { "/tmp/selftests/harness-jobs-1.txt", "/tmp/selftests/harness-jobs-2.txt" }),
                "each loader command gets a job file of its own, next to the objects");
            Assert.That(guest.Commands[1], Does.EndWith("--jobs /tmp/selftests/harness-jobs-2.txt"));
        });
    }

    [TestCase(0, "not loaded: the guest was already rebooted 0 time(s) after faults (reboots: in the run config)")]
    [TestCase(1, "not loaded: the reboot after a fault failed: boot failed: no SSH within 1 s")]
    [CancelAfter(10_000)]
    public async Task Programs_left_when_no_reboot_is_allowed_or_possible_are_errors_saying_why(int reboots, string reason, CancellationToken cancellationToken)
    {
        var boots = new Boots(new FakeLoaderGuest(LoaderEnding.GuestDies, 1));
        await using var loads = new GuestLoads(Settings(reboots), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Results.Select(r => r.Program), Is.EqualTo(new[] { "p1" }));
            Assert.That(batch.Faults["a.bpf.o:p2"].Reason, Does.StartWith("the guest died while loading it"));
            Assert.That(new[] { "p3", "p4", "p5" }.Select(p => batch.Faults[$"a.bpf.o:{p}"].Reason), Is.All.EqualTo(reason));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task Reboots_stop_at_the_limit_when_every_guest_dies(CancellationToken cancellationToken)
    {
        var boots = new Boots(new FakeLoaderGuest(LoaderEnding.GuestDies, 0), new FakeLoaderGuest(LoaderEnding.GuestDies, 0),
            new FakeLoaderGuest(LoaderEnding.GuestDies, 0), new FakeLoaderGuest(LoaderEnding.GuestDies, 0));
        await using var loads = new GuestLoads(Settings(reboots: 1), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(boots.Count, Is.EqualTo(2), "one boot and one reboot");
            Assert.That(batch.Faults["a.bpf.o:p1"].Reason, Does.StartWith("the guest died"));
            Assert.That(batch.Faults["a.bpf.o:p2"].Reason, Does.StartWith("the guest died"));
            Assert.That(batch.Faults["a.bpf.o:p3"].Reason, Does.StartWith("not loaded: the guest was already rebooted 1 time(s)"));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_held_loader_is_announced_once_with_a_way_in_and_not_held_again_in_the_guest_after_a_reboot(CancellationToken cancellationToken)
    {
        var first = new FakeLoaderGuest(LoaderEnding.GuestDies, 2);
        var second = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        var boots = new Boots(first, second);
        var held = new List<string>();
        var progress = new List<string>();
        await using var loads = new GuestLoads(Settings() with { HoldBefore = "a.bpf.o:p3" }, boots.BootAsync, progress.Add, held.Add);

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.Commands.Single(), Does.Contain("--hold-before a.bpf.o:p3 "));
            Assert.That(second.Commands.Single(), Does.Not.Contain("--hold-before"));
            Assert.That(held, Is.EqualTo(new[] { "held before a.bpf.o:p3: remove /tmp/harness-hold in the guest to go on; a shell there: ssh -p 2222 root@127.0.0.1" }));
            Assert.That(progress, Has.None.Contains("held before"), "the hold has its own callback");
            Assert.That(batch.Faults.Keys, Is.EqualTo(new[] { "a.bpf.o:p3" }), "the held program was in flight when the guest died");
            Assert.That(batch.Problems, Is.Empty, "notes are not results, and not broken lines either");
            Assert.That(batch.Output, Does.Contain("# held before a.bpf.o:p3"), "the loader log keeps them");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_loader_held_longer_than_the_program_limit_is_not_hung_while_it_says_so(CancellationToken cancellationToken)
    {
        var guest = new FakeLoaderGuest(LoaderEnding.Finishes, 0) { HeldFor = TimeSpan.FromMilliseconds(1200) };
        var boots = new Boots(guest);
        await using var loads = new GuestLoads(Settings() with { HoldBefore = "a.bpf.o:p2" }, boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Faults, Is.Empty, "four times the 300 ms limit held, but a note came every 50 ms");
            Assert.That(batch.Results.Select(r => r.Program), Is.EqualTo(new[] { "p1", "p2", "p3", "p4", "p5" }));
            Assert.That(boots.Count, Is.EqualTo(1));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_program_not_in_the_batch_is_not_held_for(CancellationToken cancellationToken)
    {
        var guest = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        await using var loads = new GuestLoads(Settings() with { HoldBefore = "b.bpf.o:p1" }, new Boots(guest).BootAsync, _ => { });

        await loads.LoadAsync(Programs, cancellationToken);

        Assert.That(guest.Commands.Single(), Does.Not.Contain("--hold-before"));
    }

    [Test, CancelAfter(10_000)]
    public async Task The_job_file_is_written_beside_the_objects_and_its_local_copy_is_deleted(CancellationToken cancellationToken)
    {
        var guest = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        await using var loads = new GuestLoads(Settings(), new Boots(guest).BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(batch.Results, Has.Count.EqualTo(5));
            Assert.That(guest.Commands.Single(), Is.EqualTo("harness-loader --timeout 1 --jobs /tmp/selftests/harness-jobs-1.txt"));
            Assert.That(guest.Jobs.Single().Select(j => j.ToLine()), Is.EqualTo(Programs.Select(j => j.ToLine())), "one line per job, in order");
            Assert.That(guest.JobFiles.LocalPaths.Where(File.Exists), Is.Empty, "the local copy is gone");
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task A_job_file_whose_upload_breaks_faults_no_program_and_they_all_go_on_in_a_new_guest(CancellationToken cancellationToken)
    {
        var first = new FakeLoaderGuest(LoaderEnding.Finishes, 0) { UploadsFail = true };
        var second = new FakeLoaderGuest(LoaderEnding.Finishes, 0);
        var boots = new Boots(first, second);
        await using var loads = new GuestLoads(Settings(), boots.BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.JobFiles.LocalPaths.Concat(second.JobFiles.LocalPaths).Where(File.Exists), Is.Empty);
            Assert.That(first.Commands, Is.Empty, "the loader never ran without its job file");
            Assert.That(batch.Faults, Is.Empty, "no program was loading");
            Assert.That(batch.Results, Has.Count.EqualTo(5));
            Assert.That(second.Jobs.Single().Select(j => j.Program), Is.EqualTo(new[] { "p1", "p2", "p3", "p4", "p5" }));
            Assert.That(boots.Count, Is.EqualTo(2));
            Assert.That(loads.Events.Single(), Is.EqualTo("uploading the job file to the guest failed: SFTP upload failed: the connection to 127.0.0.1:2222 broke; " +
                "the guest was torn down and the 5 program(s) left go on in a new guest"));
        });
    }

    [Test, CancelAfter(10_000)]
    public async Task Job_files_that_never_upload_use_up_the_reboots_and_then_every_program_is_an_error(CancellationToken cancellationToken)
    {
        var guests = Enumerable.Range(0, 3).Select(_ => new FakeLoaderGuest(LoaderEnding.Finishes, 0) { UploadsFail = true }).ToArray();
        await using var loads = new GuestLoads(Settings(reboots: 2), new Boots(guests).BootAsync, _ => { });

        var batch = await loads.LoadAsync(Programs, cancellationToken);

        Assert.That(batch.Faults.Keys, Is.EquivalentTo(Programs.Select(p => p.Key)));
        Assert.That(batch.Faults.Values.Select(f => f.Reason), Is.All.StartWith("not loaded: the guest was already rebooted 2 time(s)"));
    }
}
