namespace GitOps.Sandbox.Patching;

/// <summary>
/// Finds the first syntax error of a JSON text and words it as Go's encoding/json does
/// (e.g. "invalid character 'n' looking for beginning of object key string"), or null when valid.
/// </summary>
internal sealed class GoJsonSyntax
{
    private readonly string _text;
    private int _pos;

    private GoJsonSyntax(string text) => _text = text;

    public static string? Error(string text)
    {
        var scanner = new GoJsonSyntax(text);
        try
        {
            scanner.SkipSpace();
            scanner.Value();
            scanner.SkipSpace();
            if (scanner._pos < text.Length) return Invalid(text[scanner._pos], "after top-level value");
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static string Invalid(char c, string context) => $"invalid character {Quote(c)} {context}";

    private static string Quote(char c) => c switch
    {
        '\'' => @"'\''",
        '"' => "'\"'",
        '\n' => @"'\n'",
        '\r' => @"'\r'",
        '\t' => @"'\t'",
        < ' ' => $"'\\x{(int)c:x2}'",
        _ => $"'{c}'",
    };

    private char Next(string context)
    {
        if (_pos >= _text.Length) throw new FormatException("unexpected end of JSON input");
        return _text[_pos];
    }

    private FormatException Fail(string context) => new(Invalid(_text[_pos], context));

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
    }

    private void Value()
    {
        var c = Next("looking for beginning of value");
        switch (c)
        {
            case '{': Object(); break;
            case '[': Array(); break;
            case '"': String(); break;
            case 't': Literal("true"); break;
            case 'f': Literal("false"); break;
            case 'n': Literal("null"); break;
            case '-' or (>= '0' and <= '9'): Number(); break;
            default: throw Fail("looking for beginning of value");
        }
    }

    private void Object()
    {
        _pos++;
        SkipSpace();
        if (Next("") == '}') { _pos++; return; }
        while (true)
        {
            if (Next("") != '"') throw Fail("looking for beginning of object key string");
            String();
            SkipSpace();
            if (Next("") != ':') throw Fail("after object key");
            _pos++;
            SkipSpace();
            Value();
            SkipSpace();
            var c = Next("");
            if (c == '}') { _pos++; return; }
            if (c != ',') throw Fail("after object key:value pair");
            _pos++;
            SkipSpace();
        }
    }

    private void Array()
    {
        _pos++;
        SkipSpace();
        if (Next("") == ']') { _pos++; return; }
        while (true)
        {
            Value();
            SkipSpace();
            var c = Next("");
            if (c == ']') { _pos++; return; }
            if (c != ',') throw Fail("after array element");
            _pos++;
            SkipSpace();
        }
    }

    private void String()
    {
        _pos++;
        while (true)
        {
            var c = Next("");
            if (c == '"') { _pos++; return; }
            if (c < ' ') throw Fail("in string literal");
            _pos++;
            if (c != '\\') continue;
            var e = Next("");
            if (e == 'u')
            {
                _pos++;
                for (var i = 0; i < 4; i++)
                {
                    if (!Uri.IsHexDigit(Next(""))) throw Fail("in \\u hexadecimal character escape");
                    _pos++;
                }
            }
            else if (e is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't') _pos++;
            else throw Fail("in string escape code");
        }
    }

    private void Literal(string word)
    {
        _pos++;
        for (var i = 1; i < word.Length; i++)
        {
            if (Next("") != word[i]) throw Fail($"in literal {word} (expecting {Quote(word[i])})");
            _pos++;
        }
    }

    private void Number()
    {
        if (_text[_pos] == '-')
        {
            _pos++;
            if (!char.IsAsciiDigit(Next(""))) throw Fail("in numeric literal");
        }
        if (_text[_pos] == '0') _pos++;
        else Digits();
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            if (!char.IsAsciiDigit(Next(""))) throw Fail("after decimal point in numeric literal");
            Digits();
        }
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            _pos++;
            if (Next("") is '+' or '-') _pos++;
            if (!char.IsAsciiDigit(Next(""))) throw Fail("in exponent of numeric literal");
            Digits();
        }
    }

    private void Digits()
    {
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
    }
}
