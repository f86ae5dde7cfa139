namespace CashTransfer.Chaincode.EndToEnd.Tests;

/// <summary>The test classes share one stack and run one after another (2 cores shared with other jobs).</summary>
[CollectionDefinition(Name)]
public sealed class NetworkCollection : ICollectionFixture<CashTransferNetwork>
{
    public const string Name = "CashTransfer network";
}
