using System.Net;
using System.Security.Cryptography;
using CashTransfer.Api;
using CashTransfer.Api.Client;
using CashTransfer.Api.Signing;
using CashTransfer.Contracts;
using CashTransfer.Pos.Receipts;

namespace CashTransfer.Cli.Tests.Commands;

/// <summary>
/// A POS terminal for the CLI tests: its own P-256 key (the public half written to a file for <c>terminals register</c>),
/// a hash-chained journal, and online sales through the service's terminal API, waited for until the ledger decided.
/// </summary>
public sealed class SellingTerminal : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly P256Signer _signer;
    private readonly CashTransferClient _client;
    private long _sequence = 1; // journals number their receipts from 1
    private string _previousHash = ReceiptEncoding.GenesisHash;

    public SellingTerminal(Uri service, string terminalId, string folder)
    {
        TerminalId = terminalId;
        _signer = new P256Signer(_key);
        _client = CashTransferClient.Connect(service, RequestSignature.TerminalKeyId(terminalId), _signer);
        PublicKeyFile = Path.Combine(folder, $"{terminalId}.pub.pem");
        File.WriteAllText(PublicKeyFile, _key.ExportSubjectPublicKeyInfoPem());
    }

    public string TerminalId { get; }
    public string PublicKeyFile { get; }

    /// <summary>Sells online and returns the ledger's outcome (committed or rejected) once it has one.</summary>
    public async Task<ReceiptOutcomeDto> SellAsync(string beneficiaryHash, Money amount, string category = "food")
    {
        var receipt = new Receipt(IdRules.NewRedemptionId(TerminalId), TerminalId, _sequence++, _previousHash, beneficiaryHash, amount, category,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var signed = ReceiptEncoding.Sign(receipt, _signer);
        _previousHash = signed.Hash;
        var answer = await _client.Pos.RedeemAsync(signed, "sale/" + receipt.RedemptionId);
        var outcome = answer.Value;
        for (var attempt = 0; answer.Status == HttpStatusCode.Accepted && outcome.Status is not ("committed" or "rejected"); attempt++)
        {
            if (attempt == 600) throw new TimeoutException($"Sale {receipt.RedemptionId} was not decided by the ledger.");
            await Task.Delay(100);
            outcome = await _client.Pos.GetOutcomeAsync(receipt.RedemptionId);
        }
        return outcome;
    }

    public void Dispose()
    {
        _client.Dispose();
        _signer.Dispose();
    }
}
