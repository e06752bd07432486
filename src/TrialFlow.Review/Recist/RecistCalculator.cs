namespace TrialFlow.Review.Recist;

/// <summary>Options a charter sets around RECIST 1.1.</summary>
/// <param name="MinimumStableDiseaseDays">§4.4.1: stable disease counts as best response only from this many days after baseline.</param>
public sealed record RecistOptions(int MinimumStableDiseaseDays = 42)
{
    public static RecistOptions Default { get; } = new();
}

/// <summary>
/// RECIST 1.1 response arithmetic (Eisenhauer et al. 2009, with the 2016 clarifications of Schwartz et al.) as a pure
/// function over one reader's timepoints of one subject: sums, nadir, target, non-target and overall response, best
/// overall response (without confirmation, as for randomized trials) and the date of progression.
/// </summary>
public static class RecistCalculator
{
    /// <summary>Evaluates <paramref name="timepoints"/>; the first is the baseline, the rest follow in date order.</summary>
    /// <exception cref="RecistBaselineException">The baseline breaks a RECIST rule; nothing can be computed from it.</exception>
    public static RecistEvaluation Evaluate(IReadOnlyList<TimepointAssessment> timepoints, RecistOptions? options = null)
    {
        options ??= RecistOptions.Default;
        if (timepoints.Count == 0)
            throw new ArgumentException("A RECIST evaluation needs at least the baseline timepoint.", nameof(timepoints));
        var baseline = timepoints[0];
        var problems = RecistBaselineValidator.Validate(baseline);
        if (problems.Count > 0)
            throw new RecistBaselineException(problems);

        var baselineSum = baseline.TargetLesions.Sum(t => t.DiameterMm!.Value);
        var nadir = baselineSum;
        var previousTarget = Response.NotApplicable;
        var followUps = new List<TimepointResponse>();
        for (var i = 1; i < timepoints.Count; i++)
        {
            var tp = timepoints[i];
            if (tp.Date < timepoints[i - 1].Date)
                throw new ArgumentException($"Timepoint {tp.Date:yyyy-MM-dd} comes before {timepoints[i - 1].Date:yyyy-MM-dd}: timepoints must be in date order.", nameof(timepoints));
            var (sum, target) = TargetResponse(baseline, tp, baselineSum, nadir, previousTarget);
            var nonTarget = NonTargetResponse(baseline, tp);
            var newLesion = tp.NewLesions == NewLesionStatus.Unequivocal;
            followUps.Add(new TimepointResponse(
                tp.Date, sum, nadir,
                Percent(sum, baselineSum), Percent(sum, nadir),
                target, nonTarget, newLesion,
                OverallResponseTable.Combine(baseline.TargetLesions.Count > 0, target, nonTarget, newLesion)));
            // Nadir includes baseline and every evaluable sum so far; an NE timepoint's partial sum is no nadir.
            if (target != Response.NE && sum is { } s && s < nadir)
                nadir = s;
            if (target != Response.NE)
                previousTarget = target;
        }

        var (best, progression) = BestOverallResponse(baseline.Date, timepoints, followUps, options);
        return new RecistEvaluation(baselineSum, followUps, best, progression);
    }

    private static (decimal? Sum, Response Response) TargetResponse(
        TimepointAssessment baseline, TimepointAssessment tp, decimal baselineSum, decimal nadir, Response previousTarget)
    {
        if (baseline.TargetLesions.Count == 0)
            return (null, Response.NotApplicable);

        // Follow the baseline's lesions by id; one the reader did not record is not evaluated.
        var current = baseline.TargetLesions
            .Select(b => (Baseline: b, Now: tp.TargetLesions.FirstOrDefault(t => string.Equals(t.Id, b.Id, StringComparison.OrdinalIgnoreCase))))
            .Select(p => (p.Baseline, Diameter: p.Now?.DiameterForSum))
            .ToList();
        var sum = current.Sum(c => c.Diameter ?? 0m);
        var complete = current.All(c => c.Diameter is not null);

        // §4.3.1 PD; §4.3.3: a sum of the lesions that were measured can show progression even when one is missing.
        if (sum - nadir >= RecistRules.ProgressionAbsoluteIncreaseMm && sum >= nadir * (1 + RecistRules.ProgressionIncreasePercent / 100m))
            return (sum, Response.PD);
        // Schwartz 2016: after a complete response, a target lesion that reappears is progression.
        if (previousTarget == Response.CR && current.Any(c => c.Diameter is { } d && (c.Baseline.IsLymphNode ? d >= RecistRules.NormalNodeShortAxisMm : d > 0)))
            return (sum, Response.PD);
        if (!complete)
            return (sum, Response.NE);
        // §4.3.1 CR: every non-nodal target gone, every nodal target below 10 mm short axis (the sum may stay above 0).
        if (current.All(c => c.Baseline.IsLymphNode ? c.Diameter < RecistRules.NormalNodeShortAxisMm : c.Diameter == 0m))
            return (sum, Response.CR);
        if (baselineSum - sum >= baselineSum * RecistRules.PartialResponseDecreasePercent / 100m)
            return (sum, Response.PR);
        return (sum, Response.SD);
    }

    private static Response NonTargetResponse(TimepointAssessment baseline, TimepointAssessment tp)
    {
        if (baseline.NonTargetLesions.Count == 0)
            return Response.NotApplicable;
        var statuses = baseline.NonTargetLesions
            .Select(b => tp.NonTargetLesions.FirstOrDefault(n => string.Equals(n.Id, b.Id, StringComparison.OrdinalIgnoreCase))?.Status ?? NonTargetLesionStatus.NotEvaluable)
            .ToList();
        if (statuses.Contains(NonTargetLesionStatus.UnequivocalProgression))
            return Response.PD;
        if (statuses.Contains(NonTargetLesionStatus.NotEvaluable))
            return Response.NE;
        return statuses.All(s => s == NonTargetLesionStatus.Absent) ? Response.CR : Response.NonCrNonPd;
    }

    private static (Response Best, DateOnly? Progression) BestOverallResponse(
        DateOnly baselineDate, IReadOnlyList<TimepointAssessment> timepoints, IReadOnlyList<TimepointResponse> followUps, RecistOptions options)
    {
        var best = Response.NE;
        for (var i = 0; i < followUps.Count; i++)
        {
            var r = followUps[i];
            var overall = r.OverallResponse;
            // §4.4.1: SD (and non-CR/non-PD) counts only once the charter's minimum interval from baseline has passed.
            if (overall is Response.SD or Response.NonCrNonPd && r.Date.DayNumber - baselineDate.DayNumber < options.MinimumStableDiseaseDays)
                overall = Response.NE;
            if (Rank(overall) > Rank(best))
                best = overall;
            if (r.OverallResponse == Response.PD)
            {
                // An equivocal new lesion confirmed at the next scan dates progression from its first sighting.
                var previous = timepoints[i]; // followUps[i] is timepoints[i + 1]
                var date = i > 0 && previous.NewLesions == NewLesionStatus.Equivocal && r.NewLesion ? previous.Date : r.Date;
                return (best, date);
            }
        }
        return (best, null);
    }

    private static int Rank(Response r) => r switch
    {
        Response.CR => 5,
        Response.PR => 4,
        Response.SD or Response.NonCrNonPd => 3,
        Response.PD => 2,
        _ => 1,
    };

    private static decimal? Percent(decimal? value, decimal reference) =>
        value is { } v && reference != 0 ? Math.Round((v - reference) / reference * 100m, 1, MidpointRounding.AwayFromZero) : null;
}

/// <summary>The baseline breaks RECIST 1.1: the problems say which lesion and why. Nothing was computed.</summary>
public sealed class RecistBaselineException(IReadOnlyList<RecistProblem> problems)
    : Exception($"The baseline does not follow RECIST 1.1: {string.Join("; ", problems)}")
{
    public IReadOnlyList<RecistProblem> Problems { get; } = problems;
}
