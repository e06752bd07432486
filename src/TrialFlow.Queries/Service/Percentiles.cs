using TrialFlow.Queries.Domain;
namespace TrialFlow.Queries.Service;

/// <summary>
/// Percentiles of whole-day values given as a histogram (value, count), by linear interpolation between the closest
/// ranks (Excel's PERCENTILE.INC, NumPy's default): the median of 1, 2, 3, 10 is 2.5 and its 90th percentile 7.9.
/// </summary>
public static class Percentiles
{
    public static double? Of(IEnumerable<(int Value, int Count)> histogram, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 1);
        var bins = histogram.Where(b => b.Count > 0).OrderBy(b => b.Value).ToList();
        long n = bins.Sum(b => (long)b.Count);
        if (n == 0)
            return null;
        var position = (n - 1) * percentile;
        var lower = (long)Math.Floor(position);
        var fraction = position - lower;
        var below = At(bins, lower);
        return fraction == 0 ? below : below + (At(bins, lower + 1) - below) * fraction;
    }

    private static int At(List<(int Value, int Count)> bins, long rank)
    {
        foreach (var (value, count) in bins)
        {
            if (rank < count)
                return value;
            rank -= count;
        }
        return bins[^1].Value;
    }
}
