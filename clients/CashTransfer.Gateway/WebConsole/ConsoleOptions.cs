namespace CashTransfer.Gateway.WebConsole;

/// <summary>The web console's settings, section <c>CashTransfer:WebConsole</c>.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "CashTransfer:WebConsole";

    /// <summary>How long a console session lasts from sign-in; afterwards the user signs in again with their key.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a sign-in challenge may be answered.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most sessions (in the database) and most open sign-in challenges (in memory) held at once.</summary>
    public int MaxOpen { get; set; } = 10_000;
}
