namespace TrialFlow.Review.Agreement;

/// <summary>
/// One timepoint read by two independent readers: their overall responses and sums of diameters, whether it went to
/// adjudication and whose read the adjudicator accepted.
/// </summary>
public sealed record ReadPair(
    string ReaderA,
    string ReaderB,
    string ResponseA,
    string ResponseB,
    decimal? SumA,
    decimal? SumB,
    bool Adjudicated,
    string? AcceptedReader);

public sealed record Rate(int Count, int Adjudicated)
{
    public double Value => Count == 0 ? 0 : (double)Adjudicated / Count;
}

/// <summary>How often the adjudicator accepted a reader's read, out of the adjudications the reader was part of.</summary>
public sealed record SidedWith(int Adjudications, int Accepted)
{
    public double Value => Adjudications == 0 ? 0 : (double)Accepted / Adjudications;
}

/// <summary>Bland–Altman summary of the difference reader A − reader B in sum of diameters.</summary>
public sealed record BlandAltman(int Count, double MeanDifference, double StandardDeviation, double LowerLimit, double UpperLimit);

public sealed record AgreementReport(
    Rate Overall,
    IReadOnlyDictionary<string, Rate> PerReader,
    IReadOnlyDictionary<string, Rate> PerPair,
    IReadOnlyDictionary<string, SidedWith> AdjudicatorSidedWith,
    double? CohensKappa,
    BlandAltman? SumOfDiameters);

/// <summary>Agreement between independent readers, as a pure function over the timepoints read twice.</summary>
public static class AgreementMetrics
{
    public static AgreementReport Compute(IReadOnlyList<ReadPair> pairs)
    {
        var perReader = pairs.SelectMany(p => new[] { (p.ReaderA, p), (p.ReaderB, p) })
            .GroupBy(x => x.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Rate(g.Count(), g.Count(x => x.p.Adjudicated)), StringComparer.Ordinal);
        var perPair = pairs.GroupBy(PairKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Rate(g.Count(), g.Count(p => p.Adjudicated)), StringComparer.Ordinal);
        var sided = pairs.Where(p => p.Adjudicated).SelectMany(p => new[] { (p.ReaderA, p), (p.ReaderB, p) })
            .GroupBy(x => x.Item1, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new SidedWith(g.Count(), g.Count(x => x.p.AcceptedReader == x.Item1)), StringComparer.Ordinal);
        return new AgreementReport(
            new Rate(pairs.Count, pairs.Count(p => p.Adjudicated)),
            perReader, perPair, sided,
            CohensKappa(pairs.Select(p => (p.ResponseA, p.ResponseB)).ToList()),
            Differences(pairs.Where(p => p.SumA is not null && p.SumB is not null).Select(p => (double)(p.SumA!.Value - p.SumB!.Value)).ToList()));
    }

    /// <summary>Cohen's kappa, (p_o − p_e) / (1 − p_e); null without pairs, 1 when both raters used one category throughout.</summary>
    public static double? CohensKappa(IReadOnlyList<(string A, string B)> ratings)
    {
        if (ratings.Count == 0)
            return null;
        double n = ratings.Count;
        var observed = ratings.Count(r => r.A == r.B) / n;
        var categories = ratings.SelectMany(r => new[] { r.A, r.B }).Distinct(StringComparer.Ordinal);
        var expected = categories.Sum(c => ratings.Count(r => r.A == c) / n * (ratings.Count(r => r.B == c) / n));
        return expected >= 1 ? 1 : (observed - expected) / (1 - expected);
    }

    /// <summary>Mean difference, sample standard deviation and the 95% limits of agreement (mean ± 1.96 SD).</summary>
    public static BlandAltman? Differences(IReadOnlyList<double> differences)
    {
        if (differences.Count == 0)
            return null;
        var mean = differences.Average();
        var sd = differences.Count > 1 ? Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Count - 1)) : 0;
        return new BlandAltman(differences.Count, mean, sd, mean - 1.96 * sd, mean + 1.96 * sd);
    }

    /// <summary>A reader pair named the same whichever reader was slot 1.</summary>
    public static string PairKey(ReadPair p) =>
        string.CompareOrdinal(p.ReaderA, p.ReaderB) <= 0 ? $"{p.ReaderA} + {p.ReaderB}" : $"{p.ReaderB} + {p.ReaderA}";
}
