using Cel;

namespace GitOps.Engine.Health.Rules;

/// <summary>A compiled expression, or why it could not be compiled.</summary>
internal sealed record CelCompilation(CelProgram? Program, string? Error);

/// <summary>The outcome of one evaluation: true or false, or why there is no answer.</summary>
internal readonly record struct CelOutcome(bool Value, string? Error);

/// <summary>
/// One CEL expression compiled by the <c>Cel</c> package (a parse tree it walks on each evaluation,
/// which holds no state, so one program serves every thread). Compiling checks the syntax and, since
/// the package only finds unknown functions while evaluating, the functions called (<see cref="CelFunctionCheck"/>).
/// </summary>
internal sealed class CelProgram
{
    private static readonly CelEnvironment s_environment = new(fileDescriptors: null, messageNamespace: "");
    private static readonly Lock s_compileLock = new();

    private readonly CelProgramDelegate _evaluate;

    private CelProgram(string text, CelProgramDelegate evaluate)
    {
        Text = text;
        _evaluate = evaluate;
    }

    public string Text { get; }

    public static CelCompilation Compile(string text)
    {
        try
        {
            // The package's parser is not documented as thread-safe; compiles are rare (cached), so one at a time.
            lock (s_compileLock)
            {
                var tree = s_environment.Parse(text);
                if (CelFunctionCheck.FirstProblem(tree) is { } problem) return new CelCompilation(null, problem);
                return new CelCompilation(new CelProgram(text, s_environment.Compile(tree)), null);
            }
        }
        catch (CelException e)
        {
            return new CelCompilation(null, $"syntax error: {OneLine(e.Message)}");
        }
    }

    public CelOutcome Evaluate(IDictionary<string, object?> variables)
    {
        object? result;
        try
        {
            result = _evaluate(variables);
        }
        // The interpreter runs user input against arbitrary objects: whatever it throws is this object's
        // answer (Unknown), never the reconcile's failure.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The package wraps the cause of a failed && or || ("Could not compare AND values.").
            return new CelOutcome(false, OneLine(e.InnerException is { } cause ? $"{e.Message} {cause.Message}" : e.Message));
        }
        return result switch
        {
            bool b => new CelOutcome(b, null),
            // The package hands back a marker instead of throwing when the whole expression is a missing field.
            { } r when r.GetType().Name == "CelNoSuchField" => new CelOutcome(false, "a field it reads does not exist (guard it with has(...))"),
            _ => new CelOutcome(false, $"it returned {Describe(result)}, not true or false"),
        };
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"the string '{s}'",
        _ => $"a {value.GetType().Name}",
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
