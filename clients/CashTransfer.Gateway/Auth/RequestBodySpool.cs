using CashTransfer.Gateway.Options;
using Microsoft.Extensions.Options;

namespace CashTransfer.Gateway.Auth;

/// <summary>
/// Holds a request's body while its signed hash is checked and the endpoint reads it: up to
/// <see cref="MemoryThreshold"/> in memory, beyond that in a file under <c>&lt;DataDirectory&gt;/spool</c> (never the
/// system temp folder) that is deleted when the request ends. A killed process leaves its files behind;
/// <see cref="Sweep"/> removes them when the service starts.
/// </summary>
public sealed class RequestBodySpool(IOptions<ServiceOptions> options)
{
    public const int MemoryThreshold = 64 * 1024;

    public string Folder => Path.Combine(options.Value.DataDirectory, "spool");

    /// <summary>Deletes what killed requests left in the spool folder; returns how many files.</summary>
    public int Sweep()
    {
        if (!Directory.Exists(Folder)) return 0;
        var files = Directory.GetFiles(Folder);
        foreach (var file in files) File.Delete(file);
        return files.Length;
    }

    /// <summary>
    /// Reads the request's body into the spool while hashing it, and returns a readable copy (position 0, disposed with
    /// the request) with its SHA-256.
    /// </summary>
    /// <exception cref="BadHttpRequestException">413 when the body is longer than <paramref name="limit"/>.</exception>
    public async Task<(Stream Body, byte[] Sha256)> CaptureAsync(HttpContext http, long limit, CancellationToken ct)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Stream copy = new MemoryStream();
        try
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > limit) throw new BadHttpRequestException($"The request body is larger than the {limit} bytes this endpoint accepts.", StatusCodes.Status413PayloadTooLarge);
                sha.AppendData(buffer, 0, read);
                if (copy is MemoryStream memory && memory.Length + read > MemoryThreshold) copy = await MoveToFileAsync(memory, ct);
                await copy.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            await copy.FlushAsync(ct);
            copy.Position = 0;
            http.Response.RegisterForDisposeAsync(copy);
            return (copy, sha.GetHashAndReset());
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    private async Task<Stream> MoveToFileAsync(MemoryStream memory, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var file = new FileStream(Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".body"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        memory.Position = 0;
        await memory.CopyToAsync(file, ct);
        await memory.DisposeAsync();
        return file;
    }
}
