using System.Text.RegularExpressions;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace GitOps.Engine.Health.Rules;

/// <summary>
/// What the Cel package would only find while evaluating, found at compile time instead: calls to
/// functions it does not have (cel-go extensions such as <c>lowerAscii</c>, <c>orValue</c>), macros
/// called the wrong way, and optional selection (<c>.?field</c>, <c>[?key]</c>), which it parses but
/// cannot evaluate. The lists are the package's own (0.3.3); a test evaluates each name.
/// </summary>
internal static partial class CelFunctionCheck
{
    /// <summary>Macros over a list: <c>list.all(x, predicate)</c> and the like, two arguments only.</summary>
    public static readonly IReadOnlySet<string> Macros = new HashSet<string>(StringComparer.Ordinal) { "all", "exists", "exists_one", "filter", "map" };

    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "has", "size", "type", "dyn",
        "bool", "bytes", "double", "int", "uint", "string", "duration", "timestamp",
        "contains", "startsWith", "endsWith", "matches",
        "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getFullYear", "getHours",
        "getMilliseconds", "getMinutes", "getMonth", "getSeconds",
    };

    /// <summary>
    /// The first construct in <paramref name="tree"/> the package cannot evaluate, or null. Optional
    /// selection is reported before calls: <c>.?x.orValue(…)</c> is one mistake, not an unknown function.
    /// </summary>
    public static string? FirstProblem(IParseTree tree)
    {
        var nodes = PreOrder(tree);
        if (nodes.Any(n => n is CelParser.SelectContext { opt: not null } or CelParser.IndexContext { opt: not null }))
            return "optional selection ('.?' or '[?') is not supported by this CEL implementation; test for the field with has(...)";
        return nodes.Select(CallProblem).FirstOrDefault(p => p is not null);
    }

    private static List<IParseTree> PreOrder(IParseTree tree)
    {
        var nodes = new List<IParseTree>();
        var pending = new Stack<IParseTree>();
        pending.Push(tree);
        while (pending.TryPop(out var node))
        {
            nodes.Add(node);
            for (var i = node.ChildCount - 1; i >= 0; i--) pending.Push(node.GetChild(i));
        }
        return nodes;
    }

    private static string? CallProblem(IParseTree node) => node switch
    {
        CelParser.MemberCallContext call => MemberCallProblem(call.id.Text, call.args?._e ?? []),
        CelParser.IdentOrGlobalCallContext { op: not null } call => GlobalCallProblem(call.id.Text, call.args?._e ?? []),
        _ => null,
    };

    private static string? MemberCallProblem(string name, IList<CelParser.ExprContext> args)
    {
        if (Macros.Contains(name))
        {
            return args.Count == 2 && Identifier().IsMatch(args[0].GetText())
                ? null
                : $"{name}() takes a variable name and an expression, as in list.{name}(x, x > 0){(name == "map" && args.Count == 3 ? " (the three-argument map is not supported)" : "")}";
        }
        return Functions.Contains(name) ? null : Unknown(name);
    }

    private static string? GlobalCallProblem(string name, IList<CelParser.ExprContext> args)
    {
        if (Macros.Contains(name)) return $"{name}() is called on a list, as in list.{name}(x, x > 0)";
        if (!Functions.Contains(name)) return Unknown(name);
        if (name == "has" && (args.Count != 1 || !FieldSelection().IsMatch(args[0].GetText())))
            return "has() takes one field selection, as in has(self.status.phase)";
        return null;
    }

    private static string Unknown(string name) =>
        $"unknown function '{name}' (this CEL implementation has {string.Join(", ", Macros.Concat(Functions))})";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\.[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex FieldSelection();
}
