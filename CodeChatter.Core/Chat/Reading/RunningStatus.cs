using System.Text.Json;
using System.Text.Json.Serialization;
using CodeChatter.Core.Execution;

namespace CodeChatter.Core.Chat.Reading;

/// <summary>
/// The one pseudo-status: a run in flight has no <see cref="RunStatus"/> yet (its view's status is null)
/// and reads <c>running</c> on pages, in filters and in JSON.
/// </summary>
public static class RunningStatus
{
    /// <summary>The wire name of a run in flight.</summary>
    public const string WireName = "running";

    /// <summary>The wire name of a status, or <see cref="WireName"/> for null (in flight).</summary>
    public static string WireNameOf(RunStatus? status) => status is { } finished ? finished.ToWireName() : WireName;
}

/// <summary>
/// Writes a run's status with the snake_case wire names (<c>timed_out</c>) and null, a run in flight, as
/// <c>running</c>; reads them back.
/// </summary>
public sealed class RunStatusOrRunningJsonConverter : JsonConverter<RunStatus?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override RunStatus? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.GetString();
        if (name is null or RunningStatus.WireName) return null;
        return RunStatusNames.TryParse(name, out var status) ? status : throw new JsonException($"unknown run status '{name}'");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RunStatus? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(RunningStatus.WireNameOf(value));
    }
}

/// <summary>
/// The one wire-name policy for enums in JSON (API, event stream, <c>exec</c>): snake_case strings, so
/// <see cref="RunStatus.TimedOut"/> is <c>timed_out</c>, <see cref="ExecutionTrigger.ConversationRerun"/>
/// is <c>conversation_rerun</c>, the same names the database keeps.
/// </summary>
public static class WireJson
{
    /// <summary>Adds the snake_case enum converter to <paramref name="options"/>.</summary>
    public static JsonSerializerOptions UseWireNames(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        return options;
    }

    /// <summary>Web defaults (camelCase properties) with the wire names.</summary>
    public static JsonSerializerOptions CreateOptions() => new JsonSerializerOptions(JsonSerializerDefaults.Web).UseWireNames();
}
