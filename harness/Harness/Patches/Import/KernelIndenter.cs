using System.Text.RegularExpressions;

namespace Harness.Patches.Import;

/// <summary>
/// Rebuilds kernel-style indentation (tabs for block depth; tabs then spaces to align a continuation with its
/// open parenthesis or the right-hand side of an assignment) for lines that lost it. It reads the code
/// before them like a person would: brace depth, unfinished statements, brace-less if/for/while bodies,
/// switch/case, block comments. Feed it every line of the new file in order (<see cref="Feed"/>, with real
/// indentation); ask <see cref="Indent"/> for a line that has none, then feed the answer.
/// </summary>
internal sealed partial class KernelIndenter
{
    private const int TabWidth = 8;

    /// <summary>Past this column an aligned continuation would be unreadable; kernel code then indents one tab more.</summary>
    private const int MaxLineWidth = 100;

    /// <summary>A brace block: the indentation of the line that opened it, and what it holds.</summary>
    private sealed class Block(int ownerColumn, bool isSwitch, bool isData)
    {
        public int OwnerColumn { get; } = ownerColumn;
        public bool IsSwitch { get; } = isSwitch;
        /// <summary>Initializer or enum body: items end with ',' rather than ';'.</summary>
        public bool IsData { get; } = isData;
        /// <summary>Indentation of pending brace-less bodies (if (x)\n\tfoo;), innermost last.</summary>
        public List<int> PendingBodies { get; } = [];
        public int? LastIfColumn { get; set; }
    }

    /// <summary>An unfinished statement spanning lines.</summary>
    private sealed class Statement
    {
        public int StartColumn;
        public int StartLine;
        public string Text = "";
        /// <summary>Column right after "= " or "return " on the first line, where kernel code aligns continuations.</summary>
        public int? AlignColumn;
        /// <summary>Open parentheses/brackets: the column after each, and the indentation of its line.</summary>
        public readonly List<(int Column, int LineIndent)> Parens = [];
    }

    private readonly List<Block> _blocks = [];
    private readonly Block _root = new(-TabWidth, false, false);
    private int _lineNumber;
    private Statement? _statement;
    private bool _inComment;
    private int _commentColumn;
    private bool _inMacro;

    public static int VisualWidth(string whitespace)
    {
        var col = 0;
        foreach (var c in whitespace) col = c == '\t' ? (col / TabWidth + 1) * TabWidth : col + 1;
        return col;
    }

    public static string Whitespace(int column) => new string('\t', column / TabWidth) + new string(' ', column % TabWidth);

    /// <summary>The line with kernel indentation for its place after everything fed so far.</summary>
    public string Indent(string content)
    {
        content = content.Trim();
        return content.Length == 0 ? "" : Whitespace(ColumnFor(content)) + content;
    }

    private int ColumnFor(string content)
    {
        if (_inComment) return content.StartsWith('*') ? _commentColumn + 1 : _commentColumn + 3;
        if (_inMacro) return TabWidth;
        if (content.StartsWith('#')) return 0;
        var block = Current;
        var baseColumn = block.OwnerColumn + TabWidth;

        if (_statement is { } s)
        {
            if (s.Parens.Count > 0)
            {
                var (column, lineIndent) = s.Parens[^1];
                if (content.StartsWith(')')) return Math.Max(column - 1, lineIndent);
                return column + content.Length > MaxLineWidth ? lineIndent + TabWidth : column;
            }
            if (content.StartsWith('{')) return s.StartColumn;
            if (s.AlignColumn is { } align && align + content.Length <= MaxLineWidth) return align;
            // At file level an unfinished line is a return type above a function name, or a macro list.
            if (block == _root) return s.StartColumn;
            return s.StartColumn + TabWidth;
        }
        if (content.StartsWith('}')) return Math.Max(0, block.OwnerColumn);
        if (block.IsSwitch && CaseLabelRegex().IsMatch(content)) return block.OwnerColumn;
        if (GotoLabelRegex().IsMatch(content)) return 0;
        if (content.StartsWith("else") && block.LastIfColumn is { } ifColumn && block.PendingBodies.Count == 0) return ifColumn;
        if (block.PendingBodies.Count > 0) return block.PendingBodies[^1];
        return baseColumn;
    }

    /// <summary>Takes in a line of the new file as it really is.</summary>
    public void Feed(string line)
    {
        var indentLength = line.Length - line.TrimStart().Length;
        var indent = VisualWidth(line[..indentLength]);
        var content = line.Trim();
        if (_inMacro)
        {
            _inMacro = content.EndsWith('\\');
            return;
        }
        if (!_inComment && content.StartsWith('#'))
        {
            _inMacro = content.EndsWith('\\');
            return;
        }
        var column = indent;
        for (var i = indentLength; i < line.Length; i++)
        {
            var c = line[i];
            if (_inComment)
            {
                if (c == '*' && i + 1 < line.Length && line[i + 1] == '/') { _inComment = false; i++; column += 2; }
                else column = c == '\t' ? (column / TabWidth + 1) * TabWidth : column + 1;
                continue;
            }
            if (c == '/' && i + 1 < line.Length && line[i + 1] == '/') break;
            if (c == '/' && i + 1 < line.Length && line[i + 1] == '*')
            {
                _inComment = true;
                _commentColumn = column;
                i++;
                column += 2;
                continue;
            }
            if (c is '"' or '\'')
            {
                // Skip a literal; its braces and parentheses are not code.
                var end = i + 1;
                while (end < line.Length && line[end] != c) end += line[end] == '\\' ? 2 : 1;
                end = Math.Min(end, line.Length - 1);
                if (_statement is null) Code('_', column, indent);
                column += end - i + 1;
                i = end;
                continue;
            }
            Code(c, column, indent);
            column = c == '\t' ? (column / TabWidth + 1) * TabWidth : column + 1;
        }
        EndOfLine();
    }

    private void Code(char c, int column, int lineIndent)
    {
        if (char.IsWhiteSpace(c))
        {
            if (_statement is not null) _statement.Text += ' ';
            return;
        }
        if (_statement is null)
        {
            if (c == '}') { CloseBlock(); return; }
            if (c is ';' or ',') return;
            _statement = new Statement { StartColumn = lineIndent, StartLine = _lineNumber };
        }
        var s = _statement;
        if (s.AlignColumn is null && s.StartLine == _lineNumber && s.Parens.Count == 0 && AlignAfterRegex().IsMatch(s.Text))
            s.AlignColumn = column;
        s.Text += c;
        switch (c)
        {
            case '(' or '[':
                s.Parens.Add((column + 1, lineIndent));
                break;
            case ')' or ']':
                if (s.Parens.Count > 0) s.Parens.RemoveAt(s.Parens.Count - 1);
                break;
            case '{':
                var text = s.Text.TrimEnd('{').Trim();
                var parent = Current;
                var isData = text.EndsWith('=') || text.StartsWith("enum") || parent.IsData || text.EndsWith(',') || s.Parens.Count > 0;
                if (text.StartsWith("if")) parent.LastIfColumn = s.StartColumn;
                _blocks.Add(new Block(s.StartColumn, SwitchRegex().IsMatch(text), isData));
                _statement = null;
                break;
            case '}':
                _statement = null;
                CloseBlock();
                break;
            case ';' when s.Parens.Count == 0:
                EndStatement();
                break;
            case ',' when s.Parens.Count == 0 && _blocks.Count > 0 && _blocks[^1].IsData:
                EndStatement();
                break;
            case ':' when s.Parens.Count == 0 && LabelStatementRegex().IsMatch(s.Text):
                _statement = null;
                break;
        }
    }

    private void EndStatement()
    {
        _statement = null;
        Current.PendingBodies.Clear();
    }

    private void CloseBlock()
    {
        if (_blocks.Count > 0) _blocks.RemoveAt(_blocks.Count - 1);
        Current.PendingBodies.Clear();
    }

    private Block Current => _blocks.Count > 0 ? _blocks[^1] : _root;

    private void EndOfLine()
    {
        if (_statement is { } s)
        {
            s.Text += ' ';
            // A complete if/for/while/else header without a brace: the next statement is its body.
            if (s.Parens.Count == 0 && ControlRegex().IsMatch(s.Text.Trim()) && (s.Text.TrimEnd().EndsWith(')') || ElseRegex().IsMatch(s.Text.Trim())))
            {
                var block = Current;
                if (s.Text.TrimStart().StartsWith("if")) block.LastIfColumn = s.StartColumn;
                block.PendingBodies.Add(s.StartColumn + TabWidth);
                _statement = null;
            }
        }
        _lineNumber++;
    }

    [GeneratedRegex(@"^(case\b.*|default\s*):")]
    private static partial Regex CaseLabelRegex();

    [GeneratedRegex(@"^(?!default\b)[A-Za-z_]\w*:\s*(/\*.*)?$")]
    private static partial Regex GotoLabelRegex();

    [GeneratedRegex(@"^(case\b.*|default\s*|[A-Za-z_]\w*\s*):$")]
    private static partial Regex LabelStatementRegex();

    [GeneratedRegex(@"^(\}\s*)?(if|for|while|else|switch|do)\b")]
    private static partial Regex ControlRegex();

    [GeneratedRegex(@"^(\}\s*)?(else|do)$")]
    private static partial Regex ElseRegex();

    [GeneratedRegex(@"^switch\b")]
    private static partial Regex SwitchRegex();

    /// <summary>The statement so far ends with an assignment operator or is "return": align with what follows.</summary>
    [GeneratedRegex(@"((^|[^=!<>+\-*/%&|^])(=|\+=|-=|\*=|/=|%=|&=|\|=|\^=|<<=|>>=)|^return) *$")]
    private static partial Regex AlignAfterRegex();
}
