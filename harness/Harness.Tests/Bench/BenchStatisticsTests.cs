using Harness.Bench;
using NUnit.Framework;

namespace Harness.Tests.Bench;

public class BenchStatisticsTests
{
    [Test]
    public void The_median_of_an_odd_count_is_the_middle_value_whatever_the_order()
    {
        var spread = Spread.Of([3.0, 1.0, 2.5, 9.0, 2.0]);

        Assert.That(spread, Is.EqualTo(new Spread(Median: 2.5, Min: 1.0, Max: 9.0, Count: 5)));
    }

    [Test]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        var spread = Spread.Of([4.0, 1.0, 2.0, 10.0]);

        Assert.That(spread.Median, Is.EqualTo(3.0));
        Assert.That((spread.Min, spread.Max, spread.Count), Is.EqualTo((1.0, 10.0, 4)));
    }

    [Test]
    public void One_measurement_is_its_own_median_min_and_max()
    {
        Assert.That(Spread.Of([2.75]), Is.EqualTo(new Spread(2.75, 2.75, 2.75, 1)));
    }

    [Test]
    public void Nothing_measured_has_no_spread()
    {
        Assert.That(Spread.OfAny([]), Is.Null);
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Test]
    public void Boot_ratio_and_per_program_figures_come_from_the_medians_and_totals()
    {
        var boot = new BootBench("x86_64", "tcg", new Spread(2.2, 2, 3, 5), new Spread(2.0, 1.9, 2.1, 5), new Dictionary<string, Spread>());
        var programs = new ProgramBench("x86_64", Programs: 50, HarnessSeconds: 4.0, GuestLoaderSeconds: 3.75, PlainSeconds: 14.0);

        Assert.That(boot.Ratio, Is.EqualTo(1.1).Within(1e-9));
        Assert.That(programs.OverheadMillisecondsPerProgram, Is.EqualTo(5.0).Within(1e-9));
        Assert.That(programs.PlainExtraMillisecondsPerProgram, Is.EqualTo(200.0).Within(1e-9));
        Assert.That(programs.HarnessProgramsPerSecond, Is.EqualTo(12.5).Within(1e-9));
    }
}
