namespace Fabric.Client.EmbeddedTests.Support;

/// <summary>Fresh keys, so that tests sharing a network never touch each other's state.</summary>
public static class Keys
{
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
