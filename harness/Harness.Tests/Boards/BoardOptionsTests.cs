using Harness.Boards;
using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Support;
using Harness.Verdicts;
using NUnit.Framework;

namespace Harness.Tests.Boards;

/// <summary>`run --target FILE`: a board given by hand is used, or the run refuses it; never silently ignored.</summary>
public class BoardOptionsTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory();
        _temp.Write("id", "key\n");
        _temp.Write("known_hosts", "[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlR78RAAuD68ZmmHvm1kxzP0BbImFfXKVFM4u2Edcbb\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Board(string arch, string kernel) => _temp.Write($"{arch}-{kernel}.yaml",
        $"kind: ssh\nname: b-{arch}\narch: {arch}\nkernel: {kernel}\nhost: 127.0.0.1\nport: 2222\nprivate-key: id\nknown-hosts: known_hosts\n");

    [Test]
    public void A_board_takes_the_place_of_its_arch_and_kernel()
    {
        var run = CommonOptions.Load(null, ["x86_64"]);

        var withBoard = BoardOptions.Apply(run, [Board("x86_64", "patched")], Checkout.Arches);

        Assert.That(withBoard.Boards.Select(b => (b.Name, b.Kernel)), Is.EqualTo(new[] { ("b-x86_64", KernelRole.Patched) }));
    }

    [Test]
    public void Refuses_a_board_for_an_arch_the_run_does_not_test()
    {
        var run = CommonOptions.Load(null, ["x86_64"]);

        var error = Assert.Throws<BadInputException>(() => BoardOptions.Apply(run, [Board("arm64", "patched")], Checkout.Arches))!;

        Assert.That(error.Message, Does.Contain("board 'b-arm64' is arm64, but this run tests x86_64. Add --arch arm64 or leave the board out."));
    }

    [Test]
    public void Refuses_a_baseline_board_when_the_run_tests_no_baseline()
    {
        var run = CommonOptions.Load(null, ["x86_64"]) with { BaselineEnabled = false };

        var error = Assert.Throws<BadInputException>(() => BoardOptions.Apply(run, [Board("x86_64", "baseline")], Checkout.Arches))!;

        Assert.That(error.Message, Does.Contain("runs the baseline kernel, but this run tests none (--no-baseline or baseline.enabled: false)"));
    }

    [Test]
    public void Refuses_a_missing_target_file_naming_it()
    {
        var run = CommonOptions.Load(null, ["x86_64"]);

        var error = Assert.Throws<BadInputException>(() => BoardOptions.Apply(run, [_temp.Combine("absent.yaml")], Checkout.Arches))!;

        Assert.That(error.Message, Does.StartWith($"--target {_temp.Combine("absent.yaml")}: file not found."));
    }
}
