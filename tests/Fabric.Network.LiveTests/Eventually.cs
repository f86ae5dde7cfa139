namespace Fabric.Network.LiveTests;

/// <summary>
/// Another agency's peer commits a block a little after the peer that reported the commit status:
/// reads there are retried for a while before they count as failures.
/// </summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > deadline) return value;
            }
            catch (Exception) when (DateTime.UtcNow <= deadline)
            {
            }
            await Task.Delay(250);
        }
    }
}
