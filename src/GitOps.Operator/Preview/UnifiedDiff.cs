using System.Text;

namespace GitOps.Operator.Preview;

/// <summary>A unified diff of two texts by lines (longest common subsequence), with 3 lines of context.</summary>
internal static class UnifiedDiff
{
    public static string Of(string oldText, string newText, string oldLabel, string newLabel, int context = 3)
    {
        var a = Lines(oldText);
        var b = Lines(newText);
        var ops = Script(a, b);
        if (ops.All(o => o.Kind == ' ')) return "";
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldLabel).Append('\n').Append("+++ ").Append(newLabel).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ') { i++; continue; }
            var start = Math.Max(0, i - context);
            var end = i;
            // Extend the hunk while the next change is within 2*context unchanged lines.
            while (true)
            {
                while (end < ops.Count && ops[end].Kind != ' ') end++;
                var next = end;
                while (next < ops.Count && ops[next].Kind == ' ') next++;
                if (next < ops.Count && next - end <= 2 * context) { end = next; continue; }
                end = Math.Min(ops.Count, end + context);
                break;
            }
            var hunk = ops.GetRange(start, end - start);
            var oldStart = hunk.First().OldLine;
            var newStart = hunk.First().NewLine;
            var oldCount = hunk.Count(o => o.Kind != '+');
            var newCount = hunk.Count(o => o.Kind != '-');
            sb.Append($"@@ -{(oldCount == 0 ? oldStart : oldStart + 1)},{oldCount} +{(newCount == 0 ? newStart : newStart + 1)},{newCount} @@\n");
            foreach (var o in hunk) sb.Append(o.Kind).Append(o.Text).Append('\n');
            i = end;
        }
        return sb.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    private readonly record struct Op(char Kind, string Text, int OldLine, int NewLine);

    private static List<Op> Script(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<Op>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add(new(' ', a[x], x, y)); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(new('-', a[x], x, y)); x++; }
            else { ops.Add(new('+', b[y], x, y)); y++; }
        }
        return ops;
    }
}
