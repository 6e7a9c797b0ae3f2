using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Processes;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// What the harness must never do to the user or let a guest do: modify the user's tree or patches, leave a private
/// key readable by others, accept passwords, listen beyond 127.0.0.1, or talk to a guest whose host key is not pinned.
/// </summary>
[Category("Faults")]
[NonParallelizable]
public partial class SecurityFaultTests
{
    /// <summary>The user's checkout (working tree, HEAD, refs, index, config: every file) and the series are hashed before and after.</summary>
    [TestCase("patch", "apply"), TestCase("run", "--no-baseline"), CancelAfter(240_000)]
    public async Task The_users_tree_and_patch_files_are_never_modified(string command, string extra, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var repo = await FakeKernelTree.CreateAsync(scratch.File("linux"), cancellationToken);
        var baseCommit = (await repo.RunAsync(cancellationToken, "rev-parse", "HEAD")).Trim();
        repo.Write("kernel/bpf/verifier.c", "int verifier;\nint changed;\n");
        var change = await repo.CommitAllAsync("bpf: change the verifier", cancellationToken);
        await repo.FormatPatchAsync(change, scratch.File("series", "0001-change-the-verifier.patch"), cancellationToken);
        await repo.RunAsync(cancellationToken, "reset", "--quiet", "--hard", baseCommit);
        repo.Write("uncommitted.c", "work in progress\n"); // an untracked file and a staged change, as a user has them
        repo.Write("Kconfig", File.ReadAllText(Path.Combine(repo.Path, "Kconfig")) + "\n# staged edit\n");
        await repo.RunAsync(cancellationToken, "add", "Kconfig");
        scratch.WriteFile("series/series", "0001-change-the-verifier.patch\n");
        scratch.Text = scratch.Text.Replace("without: [0002-bpf-implement-__async-and-__s_async-kfunc-suffixes.patch]", "without: [0001-change-the-verifier.patch]");
        var treeBefore = Fingerprint(repo.Path);
        var seriesBefore = Fingerprint(scratch.File("series"));

        string[] arguments = command == "patch"
            ? ["patch", extra, "--config", scratch.Write(), "--tree", repo.Path, "--series", scratch.File("series")]
            : ["run", extra, "--arch", "x86_64", "--config", scratch.Write(), "--tree", repo.Path, "--series", scratch.File("series")];
        var result = await HarnessCli.RunAsync(arguments, cancellationToken, scratch.Temp, limit: TimeSpan.FromMinutes(3));

        // The fake tree cannot build a bootable kernel: a run ends in an error after applying; what matters is the tree.
        if (command == "patch") Assert.That(result.ExitCode, Is.Zero, result.Transcript());
        Assert.That(result.StandardError + result.StandardOutput, Does.Contain("0001-change-the-verifier.patch: clean"), result.Transcript());
        Assert.That(Fingerprint(repo.Path), Is.EqualTo(treeBefore), "the user's tree changed");
        Assert.That(Fingerprint(scratch.File("series")), Is.EqualTo(seriesBefore), "the patch files changed");
        Assert.That(ProcessTable.Containing(scratch.Root), Is.Empty, "processes left");
    }

    [TestCase("x86_64"), TestCase("arm64"), CancelAfter(300_000)]
    public async Task The_guest_client_key_is_readable_by_its_owner_only(string arch, CancellationToken cancellationToken)
    {
        var image = await RealGuests.ImageAsync(Checkout.Arch(arch), cancellationToken);

        Assert.That(File.GetUnixFileMode(image.ClientPrivateKeyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    /// <summary>
    /// A real guest (`bin/harness boot`): its forwarded port listens on 127.0.0.1 only, its sshd offers no password
    /// login (seen from outside, and in the guest: dropbear runs with -s), and ssh refuses it under a wrong host key.
    /// The same ssh with the pinned key works, so each refusal is the one named.
    /// </summary>
    [Test, CancelAfter(300_000)]
    [Category("EndToEnd")]
    public async Task A_real_guest_listens_on_127_0_0_1_only_refuses_passwords_and_is_refused_under_a_wrong_host_key(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var boot = BootRun.Start(scratch, cancellationToken);
        await boot.WaitForAsync(() => boot.SshCommand is not null, "guest ready", cancellationToken);
        var command = boot.SshCommand!.Split(' ');
        var port = command[Array.IndexOf(command, "-p") + 1];
        var key = command[Array.IndexOf(command, "-i") + 1];
        var knownHosts = command.Single(a => a.StartsWith("UserKnownHostsFile=", StringComparison.Ordinal))["UserKnownHostsFile=".Length..];
        Task<ProcessResult> Ssh(string hosts, string[] options, params string[] remote) => new ProcessRunner().RunAsync(new ProcessSpec("ssh",
            ["-i", key, "-p", port, "-o", $"UserKnownHostsFile={hosts}", "-o", "StrictHostKeyChecking=yes", "-o", "IdentitiesOnly=yes",
             "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", .. options, "root@127.0.0.1", .. remote]) { Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);

        var listening = await new ProcessRunner().RunAsync(ProcessSpec.Of("ss", "-Hltn", $"sport = :{port}"), cancellationToken);
        var pinned = await Ssh(knownHosts, [], "cat", "/proc/$(cat /run/dropbear.pid)/cmdline", "|", "tr", "'\\0'", "' '");
        var password = await Ssh(knownHosts, ["-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive"], "true");
        var otherKey = scratch.File("other_host_key");
        (await new ProcessRunner().RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey), cancellationToken)).EnsureSuccess();
        var wrongHosts = scratch.WriteFile("wrong_known_hosts", $"[127.0.0.1]:{port} {File.ReadAllText(otherKey + ".pub").Trim()}\n");
        var wrongKey = await Ssh(wrongHosts, [], "true");
        boot.Signal("-TERM");
        await boot.Process;

        Assert.Multiple(async () =>
        {
            var addresses = ListenAddress().Matches(listening.StandardOutput).Select(m => m.Groups["address"].Value).ToArray();
            Assert.That(addresses, Is.Not.Empty.And.All.EqualTo("127.0.0.1"), listening.StandardOutput);
            Assert.That(pinned.ExitCode, Is.Zero, pinned.StandardError);
            Assert.That(pinned.StandardOutput, Does.Contain("dropbear").And.Contain(" -s "), "dropbear without -s accepts passwords");
            Assert.That(password.ExitCode, Is.EqualTo(255));
            Assert.That(password.StandardError, Does.Contain("Permission denied (publickey)"), "the server offers only public-key login");
            Assert.That(wrongKey.ExitCode, Is.EqualTo(255));
            Assert.That(wrongKey.StandardError, Does.Contain("Host key verification failed"));
            Assert.That(await boot.LeftAfterAsync(TimeSpan.FromSeconds(10)), Is.Empty, "processes left");
        });
    }

    /// <summary>Every file under <paramref name="directory"/> (its .git too): relative path, mode and SHA-256, one line each.</summary>
    private static string Fingerprint(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.AppendLine($"{Path.GetRelativePath(directory, file)} {File.GetUnixFileMode(file)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))}");
        foreach (var dir in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            text.AppendLine(Path.GetRelativePath(directory, dir) + "/");
        return text.ToString();
    }

    [GeneratedRegex(@"LISTEN\s+\d+\s+\d+\s+(?<address>\[?[0-9a-f.:*]+\]?):\d+")]
    private static partial Regex ListenAddress();
}
