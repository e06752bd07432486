namespace TrialFlow.Workflows.Tests.Support;

/// <summary>Small flowcharts built in code: a trigger followed by the given activities and connections.</summary>
internal static class Flowcharts
{
    public static ActivityNode Node(string id, string type, params (string Name, InputExpression Value)[] inputs) =>
        new() { Id = id, Type = type, Inputs = inputs.ToDictionary(i => i.Name, i => i.Value) };

    public static Connection Edge(string from, string port, string to) => new(new Endpoint(from, port), new Endpoint(to, "in"));

    public static WorkflowDocument Document(string id, IEnumerable<ActivityNode> activities, IEnumerable<Connection> connections) => new()
    {
        DefinitionId = id,
        Name = id,
        Root = new FlowchartNode { Activities = [.. activities], Connections = [.. connections] },
    };

    /// <summary>completed → (nodes in a chain by their first port) …</summary>
    public static WorkflowDocument Chain(string id, params (ActivityNode Node, string Port)[] chain)
    {
        var nodes = new List<ActivityNode> { Node("completed", "StudyCompleted") };
        var edges = new List<Connection>();
        var previous = ("completed", "done");
        foreach (var (node, port) in chain)
        {
            nodes.Add(node);
            edges.Add(Edge(previous.Item1, previous.Item2, node.Id));
            previous = (node.Id, port);
        }
        return Document(id, nodes, edges);
    }
}
