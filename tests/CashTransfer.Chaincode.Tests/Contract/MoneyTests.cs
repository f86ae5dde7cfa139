using CashTransfer.Chaincode.Domain;
using CashTransfer.Contracts;
using Fabric.Shim.Contracts;

namespace CashTransfer.Chaincode.Tests.Contract;

public class MoneyTests
{
    [Fact]
    public void Money_refuses_mixed_currencies_and_overflow()
    {
        Assert.Equal(new Money(300, "KES"), new Money(100, "KES").Add(new Money(200, "KES")));
        Assert.Equal(400, Assert.Throws<ChaincodeException>(() => new Money(1, "USD").Add(new Money(1, "EUR"))).Status);
        var overflow = Assert.Throws<ChaincodeException>(() => new Money(long.MaxValue, "USD").Add(new Money(1, "USD")));
        Assert.Equal(409, overflow.Status);
        Assert.Contains("largest amount the ledger can hold", overflow.Message);
        Assert.Equal(400, Assert.Throws<ChaincodeException>(() => new Money(0, "USD").RequirePositive("x")).Status);
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KWD", 3)]
    [InlineData("XOF", 0)]
    public void Minor_unit_exponents_follow_ISO_4217(string code, int exponent) => Assert.Equal(exponent, Currencies.MinorUnitExponent(code));
}
