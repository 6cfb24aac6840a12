namespace D2L.Rnn;

/// <summary>Where corpora are looked for and cached.</summary>
public static class DataDirectory
{
    /// <summary>The environment variable that names the data directory.</summary>
    public const string EnvironmentVariable = "D2L_DATA_DIR";

    /// <summary>
    /// The data directory: <c>$D2L_DATA_DIR</c> when set, else a folder of the user's own,
    /// <c>d2l-rnn/data</c> under the local application data folder (<c>~/.local/share</c> on Linux,
    /// <c>%LOCALAPPDATA%</c> on Windows, <c>~/Library/Application Support</c> on macOS).
    /// </summary>
    public static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
        var appData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(string.IsNullOrEmpty(appData) ? Path.GetTempPath() : appData, "d2l-rnn", "data");
    }
}
