namespace CashTransfer.Api;

// The service's read model of retailers and terminals, as GET /api/operator/retailers and /terminals list them: kept
// from the ledger's events, so a change shows here a moment after it committed. Mutable classes for Dapper's mapping.

/// <summary>A retailer as the ledger announced it (RetailerRegistered, RetailerUpdated).</summary>
public sealed class RetailerView
{
    public string RetailerId { get; set; } = "";
    public string RegisteredBy { get; set; } = "";
    public string Status { get; set; } = "";
}

/// <summary>A registered terminal as the operator lists it (no key material).</summary>
public sealed class TerminalView
{
    public string TerminalId { get; set; } = "";
    public string RetailerId { get; set; } = "";
    public string Status { get; set; } = "";
    public long KeyVersion { get; set; }
    public string AgencyMsp { get; set; } = "";
}
