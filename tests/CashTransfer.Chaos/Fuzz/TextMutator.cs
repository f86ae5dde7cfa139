using System.Text;
using System.Text.Json.Nodes;

namespace CashTransfer.Chaos.Fuzz;

/// <summary>
/// Mutates the service's inputs: JSON bodies (a value replaced by a hostile one: huge or negative amounts, control
/// characters, a trailing newline in an id, a 1 MB string, a wrong type; a property dropped or added), CSV uploads
/// (hostile rows, extra columns, quotes, CRLF, BOM), query values, and any of them at the byte level (bit flips,
/// truncation). Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class TextMutator(Random random)
{
    private static readonly string[] HostileStrings =
    [
        "\n", "\r\n", "\0", "\t", "\u0001\u001b[2J", "\u202e", "\uFEFF", "' OR '1'='1", "../../../etc/passwd", "%0a", "💸", "\uD800", "null", "-1", "",
        " ", "a\nb", "<script>alert(1)</script>", "${jndi:ldap://x}", "9223372036854775808",
    ];

    private static readonly JsonNode?[] HostileValues =
    [
        null, 0, -1, long.MaxValue, long.MinValue, 1L << 62, 9.999e307, 1.5, true, "", new JsonArray(), new JsonObject(), JsonValue.Create("9223372036854775808"),
    ];

    public string Kind { get; private set; } = "";

    public byte[] MutateJson(string json)
    {
        var choice = random.Next(10);
        if (choice < 2) return Bytes(Encoding.UTF8.GetBytes(json));
        var node = JsonNode.Parse(json)!;
        var targets = new List<JsonNode>();
        Collect(node, targets);
        var target = targets[random.Next(targets.Count)];
        switch (choice)
        {
            case 2 or 3:
                Kind = "hostile-string";
                Replace(target, JsonValue.Create(target is JsonValue v && v.TryGetValue<string>(out var s) && random.Next(2) == 0 ? s + Hostile() : Hostile()));
                break;
            case 4:
                Kind = "hostile-value";
                Replace(target, HostileValues[random.Next(HostileValues.Length)]?.DeepClone());
                break;
            case 5:
                Kind = "oversized-field";
                Replace(target, JsonValue.Create(new string('A', random.Next(2) == 0 ? 1024 * 1024 : 64 * 1024)));
                break;
            case 6:
                Kind = "drop-property";
                if (target.Parent is JsonObject parent) parent.Remove(target.GetPropertyName());
                else if (target.Parent is JsonArray array) array.Remove(target);
                break;
            case 7:
                Kind = "extra-property";
                if (target is JsonObject o) o[Hostile() + "extra"] = Hostile();
                else if (target.Parent is JsonObject p) p["$unknown" + random.Next(100)] = JsonValue.Create(Hostile());
                break;
            case 8:
                Kind = "duplicate-array";
                if (target is JsonArray a && a.Count > 0) for (var i = 0; i < random.Next(1, 2000); i++) a.Add(a[0]!.DeepClone());
                else Replace(target, new JsonArray(JsonValue.Create(1), JsonValue.Create("x")));
                break;
            default:
                Kind = "deep-nesting";
                var deep = string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000));
                Replace(target, JsonNode.Parse("[]"));
                return Encoding.UTF8.GetBytes(node.ToJsonString().Replace("[]", deep, StringComparison.Ordinal));
        }
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    public byte[] MutateCsv(IReadOnlyList<string> hashes)
    {
        var csv = new StringBuilder(random.Next(5) == 0 ? "\uFEFF" : "").Append(random.Next(8) == 0 ? "amountMinor,beneficiaryHash" : "beneficiaryHash,amountMinor").Append('\n');
        var rows = random.Next(1, 20);
        for (var i = 0; i < rows; i++)
        {
            var hash = hashes[random.Next(hashes.Count)];
            string amount = "100";
            switch (random.Next(10))
            {
                case 0: hash += Hostile(); break;
                case 1: amount = random.Next(2) == 0 ? "9223372036854775807" : "4611686018427387904"; break;
                case 2: amount = random.Next(2) == 0 ? "-5" : "1e3"; break;
                case 3: hash = "\"" + hash + "\"\"" ; break;
                case 4: csv.Append(hash).Append(',').Append(amount).Append(",extra,columns\r\n"); continue;
                case 5: csv.Append(new string('9', 100_000)).Append('\n'); continue;
                case 6: hash = "Jane Doe,+254700000000"; break;
            }
            csv.Append(hash).Append(',').Append(amount).Append(random.Next(4) == 0 ? "\r\n" : "\n");
        }
        Kind = "csv";
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        return random.Next(4) == 0 ? Bytes(bytes) : bytes;
    }

    /// <summary>A query or path value: valid, hostile, or huge.</summary>
    public string Value(string valid) => random.Next(6) switch
    {
        0 => valid,
        1 => valid + Hostile(),
        2 => Hostile(),
        3 => new string('x', random.Next(2) == 0 ? 100 : 20_000),
        4 => random.Next(2) == 0 ? "-1" : "99999999999999999999",
        _ => valid[..random.Next(valid.Length + 1)],
    };

    public string Hostile() => HostileStrings[random.Next(HostileStrings.Length)];

    private byte[] Bytes(byte[] data)
    {
        if (random.Next(2) == 0 && data.Length > 0)
        {
            Kind = "truncate";
            return data[..random.Next(data.Length)];
        }
        Kind = "bit-flip";
        var copy = (byte[])data.Clone();
        for (int i = 0, n = 1 + random.Next(4); i < n && copy.Length > 0; i++) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        if (node is JsonObject o) foreach (var (_, child) in o) { if (child is not null) Collect(child, into); }
        else if (node is JsonArray a) foreach (var child in a) if (child is not null) Collect(child, into);
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject o: o[target.GetPropertyName()] = value; break;
            case JsonArray a: a[a.IndexOf(target)] = value; break;
        }
    }
}
