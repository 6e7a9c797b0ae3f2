using Harness.Errors;
using Harness.Matrix;

namespace Harness.Tests.Matrix;

public class MatrixShardTests
{
    private static readonly MatrixUnit[] Units =
        new[] { "b_ours", "a_ours", "a_other", "b_other", "c_x" }.SelectMany(c => new[] { new MatrixUnit(c, "x86_64"), new MatrixUnit(c, "arm64") }).ToArray();

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(7), TestCase(12)]
    public void The_shards_of_a_split_cover_every_unit_exactly_once_and_differ_by_at_most_one(int n)
    {
        var shards = Enumerable.Range(1, n).Select(k => new MatrixShard(k, n).Select(Units)).ToArray();

        var all = shards.SelectMany(s => s).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EquivalentTo(Units));
            Assert.That(all.Distinct().Count(), Is.EqualTo(Units.Length));
            Assert.That(shards.Max(s => s.Count) - shards.Min(s => s.Count), Is.LessThanOrEqualTo(1));
        });
    }

    [Test]
    public void The_split_depends_on_the_units_not_on_their_order()
    {
        var shuffled = Units.Reverse().ToArray();

        for (var k = 1; k <= 3; k++)
            Assert.That(new MatrixShard(k, 3).Select(shuffled), Is.EquivalentTo(new MatrixShard(k, 3).Select(Units)), $"shard {k}/3");
    }

    [Test]
    public void Units_are_dealt_round_robin_in_cell_then_arch_order()
    {
        var first = new MatrixShard(1, 2).Select(Units);

        // Sorted: a_other/arm64, a_other/x86_64, a_ours/arm64, a_ours/x86_64, b_other/arm64, ...; shard 1 takes the 1st, 3rd, 5th...
        Assert.That(first.Select(u => u.ToString()), Is.EquivalentTo(new[] { "a_other/arm64", "a_ours/arm64", "b_other/arm64", "b_ours/arm64", "c_x/arm64" }));
    }

    [TestCase("1/2", 1, 2), TestCase(" 3/3 ", 3, 3)]
    public void Parses_K_of_N(string text, int k, int n) => Assert.That(MatrixShard.Parse(text), Is.EqualTo(new MatrixShard(k, n)));

    [TestCase("2", "--shard 2: give K/N, e.g. --shard 1/2")]
    [TestCase("0/2", "--shard 0/2: K must be between 1 and N")]
    [TestCase("3/2", "--shard 3/2: K must be between 1 and N")]
    [TestCase("1/0", "--shard 1/0: K must be between 1 and N")]
    [TestCase("a/b", "--shard a/b: give K/N")]
    public void Rejects_a_shard_that_is_not_K_of_N(string text, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => MatrixShard.Parse(text))!;

        Assert.That(e.Message, Does.StartWith(expected));
    }
}
