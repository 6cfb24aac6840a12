using System.Text.Json.Serialization;

namespace D2L.Rnn;

/// <summary>The JSON header of a checkpoint file: what is needed to rebuild the model and its vocabulary.</summary>
/// <remarks>
/// EmbeddingSize is written only for an embedding model, so one-hot headers are as before, and a header without it
/// (every older file) reads as one-hot. Preset (the name of the corpus' <see cref="TextPreset"/>) is written only when
/// known; files without it predate it. Bidirectional is written only when true, so one-directional headers are as
/// before, and a header without it (every older file) reads as one direction.
/// </remarks>
internal sealed record CheckpointHeader(CellKind Kind, int VocabSize, int NumHiddens, int NumLayers, Nonlinearity Nonlinearity,
    string[] Tokens, Dictionary<string, string> Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EmbeddingSize = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Preset = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Bidirectional = false);

// Source-generated serialization: works where reflection-based JSON is turned off (trimmed and AOT apps, and .NET 10
// file-based apps, which default to those settings). Version 1 headers have no Nonlinearity: it reads as Tanh.
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
