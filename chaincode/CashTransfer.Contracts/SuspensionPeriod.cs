using System.Text.Json.Serialization;

namespace CashTransfer.Contracts;

/// <summary>Why a terminal is suspended: routine (maintenance, a shop closed for a while) or because it was lost or stolen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SuspensionReason>))]
public enum SuspensionReason { Routine, LossOrTheft }

/// <summary>A period in which a terminal was suspended, from the suspending transaction's time until reactivation (null while it lasts), and the key version in force when it began.</summary>
public sealed record SuspensionPeriod(SuspensionReason Reason, DateTimeOffset From, DateTimeOffset? Until, int KeyVersion)
{
    public bool Covers(DateTimeOffset time) => From <= time && (Until is null || time < Until);
}
