using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Scripting;

namespace TrialFlow.Workflows.Validation;

/// <summary>One reason a definition cannot run, naming the activity and input (or connection) at fault.</summary>
public sealed record ValidationError(string Code, string Message, string? ActivityId = null, string? Input = null)
{
    public override string ToString() => Message;
}

/// <summary>
/// Checks a definition against the catalog: known types, inputs (names, required, literal types, JavaScript syntax),
/// one trigger at the start, connections between existing activities from declared outcome ports, no activity
/// reached by two parallel branches (WorkflowCore would run it twice; there is no Join activity), and no loop without
/// a waiting activity (it would run without pause, notifying and auditing thousands of times a minute).
/// </summary>
public sealed partial class WorkflowValidator(ActivityCatalog catalog)
{
    /// <summary>The code of a loop without a waiting activity: refused at publishing, tolerated when compiling a published version.</summary>
    public const string LoopWithoutWait = "loop-without-wait";

    public IReadOnlyList<ValidationError> Validate(WorkflowDocument document)
    {
        var errors = new List<ValidationError>();
        if (!DefinitionIdPattern().IsMatch(document.DefinitionId))
            errors.Add(new("definition-id", $"definitionId '{document.DefinitionId}' must be lower-case letters, digits and dashes (1–128 characters)."));
        if (string.IsNullOrWhiteSpace(document.Name))
            errors.Add(new("name", "name is required."));
        if (document.Root.Type != "Flowchart")
            errors.Add(new("root-type", $"root.type is '{document.Root.Type}'; only 'Flowchart' is supported."));

        var nodes = new Dictionary<string, (ActivityNode Node, ActivityDescriptor? Descriptor)>(StringComparer.Ordinal);
        foreach (var node in document.Root.Activities)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                errors.Add(new("activity-id", $"an activity of type '{node.Type}' has no id."));
                continue;
            }
            if (nodes.ContainsKey(node.Id))
            {
                errors.Add(new("duplicate-id", $"activity '{node.Id}': the id is used twice.", node.Id));
                continue;
            }
            var descriptor = catalog.Find(node.Type);
            if (descriptor is null)
                errors.Add(new("unknown-type", $"activity '{node.Id}': unknown type '{node.Type}' (the catalog has {string.Join(", ", catalog.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal))}).", node.Id));
            else
                ValidateInputs(node, descriptor, errors);
            nodes[node.Id] = (node, descriptor);
        }

        var triggers = nodes.Values.Where(n => n.Descriptor?.IsTrigger == true).Select(n => n.Node.Id).ToList();
        if (triggers.Count == 0)
            errors.Add(new("no-trigger", $"the flowchart has no trigger activity ({string.Join(", ", catalog.Descriptors.Where(d => d.IsTrigger).Select(d => d.Type))}): nothing would start it."));
        foreach (var extra in triggers.Skip(1))
            errors.Add(new("second-trigger", $"activity '{extra}': a flowchart has one trigger; '{triggers[0]}' is already one.", extra));

        var edges = ValidateConnections(document.Root.Connections, nodes, errors);
        if (triggers.Count > 0)
        {
            foreach (var incoming in edges.Where(e => e.Target.Activity == triggers[0]))
                errors.Add(new("trigger-incoming", $"activity '{triggers[0]}': a trigger cannot be the target of a connection (from '{incoming.Source.Activity}').", triggers[0]));
            var reachable = Reach(triggers[0], edges);
            foreach (var id in nodes.Keys.Where(id => !reachable.Contains(id)))
                errors.Add(new("unreachable", $"activity '{id}' cannot be reached from the trigger '{triggers[0]}'.", id));
        }
        CheckParallelConvergence(edges, errors);
        CheckLoopsWait(edges, nodes, errors);
        return errors;
    }

    private static void ValidateInputs(ActivityNode node, ActivityDescriptor descriptor, List<ValidationError> errors)
    {
        foreach (var (name, expression) in node.Inputs)
        {
            var input = descriptor.FindInput(name);
            if (input is null)
            {
                errors.Add(new("unknown-input", $"activity '{node.Id}' ({descriptor.Type}): unknown input '{name}' (inputs: {string.Join(", ", descriptor.Inputs.Select(i => i.Name))}).", node.Id, name));
                continue;
            }
            if (expression.Type == ExpressionType.JavaScript)
            {
                if (expression.Text is not { Length: > 0 } script)
                    errors.Add(new("script-empty", $"activity '{node.Id}', input '{input.Name}': a JavaScript expression needs the script as a non-empty string.", node.Id, input.Name));
                else if (JavaScriptSandbox.CheckSyntax(script) is { } syntaxError)
                    errors.Add(new("script-syntax", $"activity '{node.Id}', input '{input.Name}': JavaScript syntax error: {syntaxError}", node.Id, input.Name));
            }
            else if (LiteralProblem(input, expression.Value) is { } problem)
            {
                errors.Add(new("input-type", $"activity '{node.Id}', input '{input.Name}': {problem}", node.Id, input.Name));
            }
        }
        foreach (var missing in descriptor.Inputs.Where(i => i.Required && i.Default is null && node.Inputs.Keys.All(k => !string.Equals(k, i.Name, StringComparison.OrdinalIgnoreCase))))
            errors.Add(new("missing-input", $"activity '{node.Id}' ({descriptor.Type}): required input '{missing.Name}' is missing.", node.Id, missing.Name));
    }

    /// <summary>Why a literal does not fit the input, or null when it does.</summary>
    internal static string? LiteralProblem(InputDescriptor input, JsonElement value) => input.Kind switch
    {
        InputKind.Text when value.ValueKind != JsonValueKind.String => $"expected text, got {value.ValueKind}.",
        InputKind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => $"expected true or false, got {value}.",
        InputKind.Number when value.ValueKind != JsonValueKind.Number => $"expected a number, got {value}.",
        InputKind.Duration when value.ValueKind != JsonValueKind.String || !TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var d) || d < TimeSpan.Zero
            => $"expected a duration like \"00:30:00\" or \"7.00:00:00\" (days.hours:minutes:seconds), got {value}.",
        InputKind.Choice when value.ValueKind != JsonValueKind.String || !input.Choices.Contains(value.GetString(), StringComparer.OrdinalIgnoreCase)
            => $"expected one of {string.Join(", ", input.Choices)}, got {value}.",
        _ => null,
    };

    private static List<Connection> ValidateConnections(IReadOnlyList<Connection> connections, Dictionary<string, (ActivityNode Node, ActivityDescriptor? Descriptor)> nodes, List<ValidationError> errors)
    {
        var valid = new List<Connection>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var c in connections)
        {
            var label = $"connection {c.Source.Activity}.{c.Source.Port} → {c.Target.Activity}";
            var ok = true;
            if (!nodes.TryGetValue(c.Source.Activity, out var source))
            {
                errors.Add(new("dangling-source", $"{label}: source activity '{c.Source.Activity}' does not exist.", c.Source.Activity));
                ok = false;
            }
            else if (source.Descriptor is { } d && !d.Ports.Contains(c.Source.Port, StringComparer.Ordinal))
            {
                errors.Add(new("unknown-port", $"{label}: activity '{c.Source.Activity}' ({d.Type}) has no outcome '{c.Source.Port}' (outcomes: {string.Join(", ", d.Ports)}).", c.Source.Activity));
                ok = false;
            }
            if (!nodes.ContainsKey(c.Target.Activity))
            {
                errors.Add(new("dangling-target", $"{label}: target activity '{c.Target.Activity}' does not exist.", c.Target.Activity));
                ok = false;
            }
            else if (c.Target.Port != ActivityOutcomes.In)
            {
                errors.Add(new("unknown-target-port", $"{label}: target port is '{c.Target.Port}'; activities are entered through '{ActivityOutcomes.In}'.", c.Target.Activity));
                ok = false;
            }
            if (ok && !seen.Add((c.Source.Activity, c.Source.Port, c.Target.Activity)))
            {
                errors.Add(new("duplicate-connection", $"{label}: the connection is listed twice.", c.Source.Activity));
                ok = false;
            }
            if (ok)
                valid.Add(c);
        }
        return valid;
    }

    /// <summary>
    /// A port with several connections starts parallel branches. If two of them reach the same activity it would run
    /// once per branch. Converging edges from exclusive outcomes (if/else merging, loops) are fine: only one runs.
    /// </summary>
    private static void CheckParallelConvergence(List<Connection> edges, List<ValidationError> errors)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fork in edges.GroupBy(e => (e.Source.Activity, e.Source.Port)).Where(g => g.Count() > 1))
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var branch in fork)
                foreach (var id in Reach(branch.Target.Activity, edges))
                    counts[id] = counts.GetValueOrDefault(id) + 1;
            foreach (var (id, _) in counts.Where(c => c.Value > 1))
                if (reported.Add(id))
                    errors.Add(new("parallel-convergence", $"activity '{id}' is reached by parallel branches from outcome '{fork.Key.Port}' of '{fork.Key.Activity}' and would run once per branch; route the branches to separate activities (there is no Join activity).", id));
        }
    }

    /// <summary>
    /// Every loop must pass through an activity that waits (<see cref="ActivityAttribute.Waits"/>). Without the waiting
    /// activities, what is left of the graph must be acyclic: each strongly connected part of it (or an activity connected
    /// to itself) is a loop that never pauses, reported with one cycle through it.
    /// </summary>
    private void CheckLoopsWait(List<Connection> edges, Dictionary<string, (ActivityNode Node, ActivityDescriptor? Descriptor)> nodes, List<ValidationError> errors)
    {
        // Unknown types are reported already; treat them as waiting so they do not also raise a loop error.
        bool Pauses(string id) => !nodes.TryGetValue(id, out var n) || n.Descriptor is null || n.Descriptor.Waits;
        var successors = edges.Where(e => !Pauses(e.Source.Activity) && !Pauses(e.Target.Activity))
            .GroupBy(e => e.Source.Activity, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Target.Activity).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var waiting = string.Join(", ", catalog.Descriptors.Where(d => d.Waits).Select(d => d.Type).Order(StringComparer.Ordinal));
        foreach (var component in StronglyConnected(nodes.Keys.Where(id => !Pauses(id)), successors))
        {
            if (component.Count == 1 && !successors.GetValueOrDefault(component[0], []).Contains(component[0]))
                continue;
            var cycle = CycleThrough(component[0], new HashSet<string>(component, StringComparer.Ordinal), successors);
            var named = string.Join(" → ", cycle.Select(id => $"'{id}' ({nodes[id].Descriptor!.Type})"));
            errors.Add(new(LoopWithoutWait,
                $"the loop {named} → '{cycle[0]}' has no waiting activity and would run without pause; put one on it "
                + $"(waiting activities: {waiting}) or leave the loop.", cycle[0]));
        }
    }

    /// <summary>Tarjan's algorithm, iterative (a long chain must not overflow the stack); components in discovery order.</summary>
    private static List<List<string>> StronglyConnected(IEnumerable<string> vertices, Dictionary<string, List<string>> successors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();
        foreach (var root in vertices)
        {
            if (index.ContainsKey(root))
                continue;
            var work = new Stack<(string Vertex, int Next)>();
            work.Push((root, 0));
            index[root] = low[root] = index.Count;
            stack.Push(root);
            onStack.Add(root);
            while (work.TryPop(out var frame))
            {
                var next = successors.GetValueOrDefault(frame.Vertex, []);
                if (frame.Next < next.Count)
                {
                    work.Push((frame.Vertex, frame.Next + 1));
                    var w = next[frame.Next];
                    if (!index.ContainsKey(w))
                    {
                        index[w] = low[w] = index.Count;
                        stack.Push(w);
                        onStack.Add(w);
                        work.Push((w, 0));
                    }
                    else if (onStack.Contains(w))
                    {
                        low[frame.Vertex] = Math.Min(low[frame.Vertex], index[w]);
                    }
                    continue;
                }
                if (low[frame.Vertex] == index[frame.Vertex])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    } while (member != frame.Vertex);
                    component.Reverse();
                    components.Add(component);
                }
                if (work.TryPeek(out var parent))
                    low[parent.Vertex] = Math.Min(low[parent.Vertex], low[frame.Vertex]);
            }
        }
        return components;
    }

    /// <summary>A shortest cycle from <paramref name="start"/> back to it inside <paramref name="component"/>, as the activities in order.</summary>
    private static List<string> CycleThrough(string start, HashSet<string> component, Dictionary<string, List<string>> successors)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in successors.GetValueOrDefault(id, []).Where(component.Contains))
            {
                if (next == start)
                {
                    var cycle = new List<string> { id };
                    while (cycle[^1] != start)
                        cycle.Add(parent[cycle[^1]]);
                    cycle.Reverse();
                    return cycle;
                }
                if (parent.TryAdd(next, id))
                    queue.Enqueue(next);
            }
        }
        return [start];
    }

    private static HashSet<string> Reach(string start, List<Connection> edges)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
            foreach (var e in edges.Where(e => e.Source.Activity == id))
                if (seen.Add(e.Target.Activity))
                    queue.Enqueue(e.Target.Activity);
        return seen;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,127}$")]
    private static partial Regex DefinitionIdPattern();
}

/// <summary>A definition failed validation; <see cref="Errors"/> names every activity and input at fault.</summary>
/// <param name="file">The file the definition came from (seeding), when it came from one.</param>
public sealed class WorkflowInvalidException(string definitionId, IReadOnlyList<ValidationError> errors, string? file = null)
    : WorkflowException($"workflow '{definitionId}'{(file is null ? "" : $" ({file})")} is not valid: {string.Join(" ", errors.Select(e => e.Message))}")
{
    public string DefinitionId { get; } = definitionId;

    public string? File { get; } = file;

    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
