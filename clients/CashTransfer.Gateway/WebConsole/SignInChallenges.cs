using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// One-time sign-in challenges: the server picks a random challenge, the browser signs it with the user's key, and
/// the challenge is spent by the first answer (right or wrong), so a captured answer cannot be replayed.
/// </summary>
public sealed class SignInChallenges(TimeProvider clock, IOptions<ConsoleOptions> options)
{
    /// <summary>Domain tag: a sign-in signature can never pass for a request or receipt signature, nor the reverse.</summary>
    public const string Domain = "cashtransfer/console-sign-in/v1";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);

    /// <summary>A new challenge; null when too many are open.</summary>
    public string? Issue()
    {
        var now = clock.GetUtcNow();
        foreach (var (c, expires) in _open)
            if (expires <= now) _open.TryRemove(c, out _);
        if (_open.Count >= options.Value.MaxOpen) return null;
        var challenge = ConsoleSessions.RandomToken();
        _open[challenge] = now + options.Value.ChallengeLifetime;
        return challenge;
    }

    /// <summary>Spends the challenge; true if it was issued here and has not expired or been used.</summary>
    public bool TrySpend(string challenge) =>
        _open.TryRemove(challenge, out var expires) && expires > clock.GetUtcNow();

    /// <summary>The bytes the browser signs (UTF-8): the domain tag, a newline, the challenge.</summary>
    public static byte[] SignedText(string challenge) => Encoding.UTF8.GetBytes($"{Domain}\n{challenge}");
}
