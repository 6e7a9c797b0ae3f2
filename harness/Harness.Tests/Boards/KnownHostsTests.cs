using Harness.Boards;
using Harness.Tests.Support;
using NUnit.Framework;

namespace Harness.Tests.Boards;

/// <summary>known_hosts lookups on captured files (Fixtures/known_hosts: one hashed by ssh-keygen -H, one plain).</summary>
public class KnownHostsTests
{
    private const string Key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlR78RAAuD68ZmmHvm1kxzP0BbImFfXKVFM4u2Edcbb";
    private const string Key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN+tob5zMEtH8h07niGzNHIeBsu1+D3vvkB54EJ9lkWJ";
    private const string Key3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHJqa4Ggwh96/BVh2gsaDy+fRS63b2nJYP6ZYrjhw5Xe";

    private static IReadOnlyList<KnownHostsEntry> Read(string name) =>
        KnownHosts.Parse(File.ReadAllText(Checkout.Fixture("known_hosts", name)));

    private static IEnumerable<string> Keys(string file, string host, int port) =>
        KnownHosts.KeysFor(Read(file), host, port).Select(k => k.KeyLine);

    [TestCase("board1.lab", 22, ExpectedResult = "board1.lab")]
    [TestCase("127.0.0.1", 2222, ExpectedResult = "[127.0.0.1]:2222")]
    [TestCase("Board1.LAB", 22, ExpectedResult = "board1.lab")]
    public string Names_a_host_as_ssh_writes_it(string host, int port) => KnownHosts.LookupName(host, port);

    [TestCase("board1.lab", 22, Key1)]
    [TestCase("127.0.0.1", 2222, Key2)]
    public void Finds_a_hashed_entry_by_host_and_port(string host, int port, string key) =>
        Assert.That(Keys("hashed", host, port), Is.EqualTo(new[] { key }));

    [TestCase("board1.lab", 2222)]
    [TestCase("127.0.0.1", 22)]
    [TestCase("board2.lab", 22)]
    public void Finds_no_hashed_entry_for_another_host_or_port(string host, int port) =>
        Assert.That(Keys("hashed", host, port), Is.Empty);

    [TestCase("board1.lab", 22, Key1)]
    [TestCase("10.0.0.5", 22, Key1)]
    [TestCase("127.0.0.1", 2222, Key2)]
    [TestCase("127.0.0.1", 22, Key3)]
    [TestCase("rack-1.lab", 22, Key3)]
    public void Finds_a_plain_entry_among_comma_separated_names_and_bracketed_ports(string host, int port, string key) =>
        Assert.That(Keys("plain", host, port), Is.EqualTo(new[] { key }));

    [Test]
    public void A_bracketed_entry_is_not_the_same_host_on_another_port() =>
        Assert.That(Keys("plain", "127.0.0.1", 2223), Is.Empty);

    [Test]
    public void A_negated_pattern_excludes_a_host_the_wildcard_matches() =>
        Assert.That(Keys("plain", "rack-9.lab", 22), Is.Empty);

    [Test]
    public void A_revoked_key_is_never_trusted() =>
        Assert.That(Keys("plain", "rack-2.lab", 22), Is.Empty);

    [Test]
    public void Cert_authority_lines_comments_and_malformed_lines_are_not_host_keys()
    {
        var entries = Read("plain");

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.LineNumber), Is.EqualTo(new[] { 2, 3, 4, 6, 7, 8 }));
            Assert.That(Keys("plain", "board2.lab", 22), Is.Empty, "board2.lab's key is not base64; *.lab is a CA line");
            Assert.That(Keys("plain", "other.lab", 22), Is.Empty);
        });
    }
}
