using System.Text;

namespace GitOps.Testing.Fuzz;

/// <summary>
/// A seeded mutation fuzzer for text parsers, for machines without AFL: from a corpus of valid
/// inputs it makes variants by flipping, inserting, deleting, duplicating and truncating, with
/// characters that matter to YAML, JSON, URLs and pkt-lines. The same seed gives the same inputs,
/// so a failure is reproduced by its seed and iteration, and a run is bounded by count, not time.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly string Interesting = "[]{}:,-?&*!|>'\"#%@`\\\n\t \0/.~=<";
    private static readonly string[] Tokens = ["<<: *", "&a ", "*a", "---\n", "...\n", "!!binary ", "? ", "- ", "{", "}", "[", "]", ": ", "0x", "1e309", "\"\\u", "%YAML 1.1\n", "\r\n", "\uFEFF", "ENC[", "0000", "ffff", "://", "@", "%00"];
    private readonly Random _random = new(seed);

    public string Mutate(string input)
    {
        var text = new StringBuilder(input);
        var edits = 1 + _random.Next(4);
        for (var i = 0; i < edits; i++)
        {
            var at = text.Length == 0 ? 0 : _random.Next(text.Length);
            switch (_random.Next(7))
            {
                case 0 when text.Length > 0:
                    text[at] = Interesting[_random.Next(Interesting.Length)];
                    break;
                case 1:
                    text.Insert(at, Interesting[_random.Next(Interesting.Length)]);
                    break;
                case 2:
                    text.Insert(at, Tokens[_random.Next(Tokens.Length)]);
                    break;
                case 3 when text.Length > 0:
                    text.Remove(at, Math.Min(1 + _random.Next(8), text.Length - at));
                    break;
                case 4 when text.Length > 0:
                    var length = Math.Min(1 + _random.Next(40), text.Length - at);
                    text.Insert(_random.Next(text.Length), text.ToString(at, length));
                    break;
                case 5:
                    text.Length = at;
                    break;
                default:
                    text.Insert(at, (char)_random.Next(0x20, 0x3000));
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="iterations"/> variants of each seed; any
    /// exception <paramref name="expected"/> does not accept is returned with the input that caused it.
    /// </summary>
    public static IReadOnlyList<string> Run(IReadOnlyList<string> corpus, int iterations, int seed, Action<string> parse, Func<Exception, bool> expected)
    {
        var failures = new List<string>();
        var mutator = new Mutator(seed);
        foreach (var original in corpus)
        {
            for (var i = 0; i < iterations && failures.Count < 5; i++)
            {
                var input = mutator.Mutate(original);
                try
                {
                    parse(input);
                }
                catch (Exception e) when (!expected(e))
                {
                    failures.Add($"seed {seed} iteration {i}: {e.GetType().Name}: {e.Message}\n{string.Join("\n", (e.StackTrace ?? "").Split('\n').Take(3))}\ninput: {input}");
                }
                catch (Exception)
                {
                    // A clear, expected refusal.
                }
            }
        }
        return failures;
    }

    /// <summary>The corpus files of one fuzz target, from tests/fuzz/corpus/&lt;target&gt;.</summary>
    public static IReadOnlyList<string> Corpus(string target) =>
        [.. Directory.EnumerateFiles(Path.Combine(ToolPaths.RepoRoot, "tests", "fuzz", "corpus", target)).Order(StringComparer.Ordinal).Select(File.ReadAllText)];
}
