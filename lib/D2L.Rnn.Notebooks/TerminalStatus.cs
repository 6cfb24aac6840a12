namespace D2L.Rnn.Notebooks;

/// <summary>
/// One status line at the bottom of a terminal (training progress in a file-based app), which anything printed
/// afterwards replaces: the line is erased before other text is written, so it never mixes with it. Does nothing when
/// the output is redirected (a log, CI, a test).
/// </summary>
internal static class TerminalStatus
{
    private static StatusWriter? _writer;

    /// <summary>Shows <paramref name="text"/> as the status line, or erases the line when it is null.</summary>
    public static void Show(string? text)
    {
        if (Console.IsOutputRedirected) return;
        if (_writer is null)
        {
            if (text is null) return;
            _writer = new StatusWriter(Console.Out);
            Console.SetOut(_writer);
        }
        _writer.ShowStatus(text);
    }

    /// <summary>Forwards everything to the terminal, erasing the status line first.</summary>
    private sealed class StatusWriter(TextWriter terminal) : TextWriter
    {
        private bool _shown;

        public override System.Text.Encoding Encoding => terminal.Encoding;

        public void ShowStatus(string? text)
        {
            lock (this)
            {
                if (text is null) Erase();
                else
                {
                    // Back to the start of the line, the text, and the rest of the line cleared (ANSI "erase in line").
                    terminal.Write($"\r{text}\u001b[K");
                    terminal.Flush();
                    _shown = true;
                }
            }
        }

        private void Erase()
        {
            if (!_shown) return;
            terminal.Write("\r\u001b[K");
            _shown = false;
        }

        public override void Write(char value) { lock (this) { Erase(); terminal.Write(value); } }
        public override void Write(string? value) { lock (this) { Erase(); terminal.Write(value); } }
        public override void Write(char[] buffer, int index, int count) { lock (this) { Erase(); terminal.Write(buffer, index, count); } }
        public override void WriteLine(string? value) { lock (this) { Erase(); terminal.WriteLine(value); } }
        public override void Flush() => terminal.Flush();
    }
}
