namespace TrialFlow.Review.Recist;

/// <summary>
/// RECIST 1.1 table 1 (target disease at baseline, with or without non-target disease) and table 2 (non-target
/// disease only): the overall response of a timepoint from its target, non-target and new-lesion assessments.
/// </summary>
public static class OverallResponseTable
{
    public static Response Combine(bool hasTargetDisease, Response target, Response nonTarget, bool newLesion)
    {
        if (newLesion || target == Response.PD || nonTarget == Response.PD)
            return Response.PD;
        if (!hasTargetDisease)
            // Table 2; without any disease at baseline there is nothing to respond (only progression, above).
            return nonTarget == Response.NotApplicable ? Response.NE : nonTarget;
        return target switch
        {
            Response.CR => nonTarget is Response.CR or Response.NotApplicable ? Response.CR : Response.PR,
            Response.PR => Response.PR,
            Response.SD => Response.SD,
            _ => Response.NE,
        };
    }
}
