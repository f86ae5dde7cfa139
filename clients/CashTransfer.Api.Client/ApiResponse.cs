using System.Net;

namespace CashTransfer.Api.Client;

/// <summary>A successful answer: its status, whether it is a stored answer replayed for a repeated Idempotency-Key, and its body.</summary>
public sealed record ApiResponse<T>(HttpStatusCode Status, bool Replayed, T Value);
