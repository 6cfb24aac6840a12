using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;

namespace D2L.Rnn.Notebooks;

/// <summary>
/// Whether the code runs in a notebook cell (the .NET Interactive engine: VS Code, Jupyter) or in a plain program,
/// such as a notebook's file-based app (<c>dotnet run notebooks/X.cs</c>). The helpers that show something ask it:
/// in a cell they display outputs, elsewhere they print to the terminal and write charts to files.
/// </summary>
/// <remarks>
/// This library compiles against Microsoft.DotNet.Interactive but does not ship it: the engine brings its own copy.
/// A program has none, so the engine's types are touched only after the assembly is known to be loaded, and only
/// from methods that are not inlined into their callers.
/// </remarks>
public static class NotebookKernel
{
    /// <summary>True while a notebook cell runs this code.</summary>
    public static bool IsRunningCell => EngineLoaded && HasCellContext();

    /// <summary>Cancelled when the user stops the running cell; <see cref="CancellationToken.None"/> outside a cell.</summary>
    public static CancellationToken CellCancellation => IsRunningCell ? CellToken() : CancellationToken.None;

    private static bool EngineLoaded =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HasCellContext() => KernelInvocationContext.Current is not null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CancellationToken CellToken() => KernelInvocationContext.Current?.CancellationToken ?? CancellationToken.None;
}
