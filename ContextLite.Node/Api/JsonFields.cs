using System.Text.Json;

namespace ContextLite.Node.Api;

/// <summary>Typed reads of request fields that collect a message per wrong field instead of throwing.</summary>
internal sealed class JsonFields(JsonElement element, string at = "")
{
    public List<string> Errors { get; } = [];

    public string? String(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Wrong<string>(name, "a string", value);
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            Errors.Add($"{at}'{name}' is not valid text (invalid UTF-8 bytes or an unpaired surrogate escape); send well-formed UTF-8.");
            return null;
        }
    }

    /// <summary>
    /// False when a string or property name anywhere in <paramref name="element"/> is an unpaired surrogate escape
    /// or invalid UTF-8: the parser accepts those, but re-serialising or storing them throws.
    /// </summary>
    public static bool IsWellFormedText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        if (!IsWellFormedText(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!IsWellFormedText(item))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public int? Int(string name, int min, int max)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Errors.Add($"{at}'{name}' must be a whole number from {min} to {max}.");
            return null;
        }

        if (number < min || number > max)
        {
            Errors.Add($"{at}'{name}' must be from {min} to {max}; got {number}.");
            return null;
        }

        return (int)number;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Wrong<bool?>(name, "true or false", value),
        };
    }

    public float[]? Vector(string name, int maxLength)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Wrong<float[]>(name, "an array of numbers", value);
        }

        var length = value.GetArrayLength();
        if (length == 0 || length > maxLength)
        {
            Errors.Add($"{at}'{name}' has {length} numbers; send 1 to {maxLength}.");
            return null;
        }

        var vector = new float[length];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out var x) || !float.IsFinite(x))
            {
                Errors.Add($"{at}'{name}'[{i}] must be a finite number.");
                return null;
            }

            vector[i++] = x;
        }

        return vector;
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Errors.Add($"{at}'{name}' is required.");
        }

        return false;
    }

    private T? Wrong<T>(string name, string expected, JsonElement value)
    {
        Errors.Add($"{at}'{name}' must be {expected}, not a {value.ValueKind.ToString().ToLowerInvariant()}.");
        return default;
    }

}
