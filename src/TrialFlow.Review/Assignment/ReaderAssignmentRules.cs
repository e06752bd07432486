namespace TrialFlow.Review.Assignment;

/// <summary>A reader of the trial's pool as the rules see them.</summary>
/// <param name="QualifiedOn">The date training was completed and the reader qualified; null while not qualified.</param>
/// <param name="Active">False once the reader left the pool: kept for history, never assigned again.</param>
/// <param name="AffiliatedSiteIds">Trial sites the reader works at: they never read those sites' subjects.</param>
/// <param name="OpenTasks">Read tasks assigned and not yet signed, across the trial.</param>
public sealed record ReaderCandidate(string UserId, DateOnly? QualifiedOn, bool Active, IReadOnlySet<Guid> AffiliatedSiteIds, int OpenTasks);

/// <summary>One timepoint of one subject to be read.</summary>
/// <param name="ReadersNeeded">Independent readers per timepoint (the trial's setting; 2 by default).</param>
/// <param name="PreviousReaders">Who read the subject's earlier timepoints, by slot (slot 1 first).</param>
/// <param name="Excluded">Readers who must not be chosen (the reader being replaced in a reassignment).</param>
public sealed record AssignmentRequest(
    Guid SubjectSiteId,
    int ReadersNeeded,
    IReadOnlyDictionary<int, string> PreviousReaders,
    IReadOnlyCollection<string> Excluded,
    DateOnly Today);

/// <summary>A reader chosen for a slot and why (shown in the audit trail).</summary>
public sealed record ReaderSlot(int Slot, string UserId, string Why);

/// <summary>The readers chosen, and, when the pool could not fill every slot, what was missing.</summary>
public sealed record AssignmentDecision(IReadOnlyList<ReaderSlot> Slots, string? Shortfall)
{
    public bool IsComplete => Shortfall is null;
}

/// <summary>
/// The assignment rules of a blinded independent central review, as a pure function over the pool: only qualified,
/// active readers; never a reader affiliated with the subject's site; a reader keeps the subject across timepoints
/// (longitudinal consistency, same slot); the remaining slots go to the readers with the fewest open tasks. A reader
/// added to the pool mid-study is simply one more candidate.
/// </summary>
public static class ReaderAssignmentRules
{
    public static AssignmentDecision Choose(AssignmentRequest request, IReadOnlyList<ReaderCandidate> pool)
    {
        if (request.ReadersNeeded < 1)
            throw new ArgumentOutOfRangeException(nameof(request), "At least one reader per timepoint is needed.");
        var eligible = pool.Where(r => IsEligible(r, request)).ToDictionary(r => r.UserId, StringComparer.Ordinal);
        var chosen = new List<ReaderSlot>();
        var taken = new HashSet<string>(StringComparer.Ordinal);

        for (var slot = 1; slot <= request.ReadersNeeded; slot++)
            if (request.PreviousReaders.TryGetValue(slot, out var previous) && eligible.ContainsKey(previous) && taken.Add(previous))
                chosen.Add(new ReaderSlot(slot, previous, "keeps the subject (read its earlier timepoints)"));

        // Load balance: fewest open tasks first; ties broken by user id so that the same pool gives the same answer.
        var queue = new Queue<ReaderCandidate>(eligible.Values.Where(r => !taken.Contains(r.UserId)).OrderBy(r => r.OpenTasks).ThenBy(r => r.UserId, StringComparer.Ordinal));
        for (var slot = 1; slot <= request.ReadersNeeded; slot++)
        {
            if (chosen.Any(c => c.Slot == slot) || queue.Count == 0)
                continue;
            var next = queue.Dequeue();
            taken.Add(next.UserId);
            chosen.Add(new ReaderSlot(slot, next.UserId, $"fewest open tasks ({next.OpenTasks})"));
        }

        chosen.Sort((a, b) => a.Slot.CompareTo(b.Slot));
        var missing = request.ReadersNeeded - chosen.Count;
        return new AssignmentDecision(chosen, missing == 0 ? null : Shortfall(missing, pool, request));
    }

    public static bool IsEligible(ReaderCandidate reader, AssignmentRequest request) =>
        reader.Active
        && reader.QualifiedOn is { } qualified && qualified <= request.Today
        && !reader.AffiliatedSiteIds.Contains(request.SubjectSiteId)
        && !request.Excluded.Contains(reader.UserId, StringComparer.Ordinal);

    private static string Shortfall(int missing, IReadOnlyList<ReaderCandidate> pool, AssignmentRequest request)
    {
        var unqualified = pool.Count(r => r.Active && (r.QualifiedOn is null || r.QualifiedOn > request.Today));
        var sameSite = pool.Count(r => r.AffiliatedSiteIds.Contains(request.SubjectSiteId));
        return $"{missing} of {request.ReadersNeeded} reader slot(s) could not be filled: the pool has {pool.Count(r => r.Active)} active reader(s), " +
               $"{unqualified} not (yet) qualified, {sameSite} from the subject's site. Add a qualified reader to the pool; the open slots are filled at the next assignment.";
    }
}
