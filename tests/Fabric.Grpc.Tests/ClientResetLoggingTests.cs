using System.IO.Pipelines;
using Fabric.Grpc.Server;
using Fabric.Grpc.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Fabric.Grpc.Tests;

/// <summary>A client resetting its stream while the server reads the request is not logged as a server error; other failures still are.</summary>
public sealed class ClientResetLoggingTests
{
    private const string CallHandler = "Grpc.AspNetCore.Server.ServerCallHandler";
    private static readonly EventId ErrorExecutingServiceMethod = new(6, "ErrorExecutingServiceMethod");

    [Fact]
    public async Task A_request_read_failing_on_the_clients_reset_is_logged_at_information()
    {
        var (logs, logger) = Logger(CallHandler);
        var reset = await RequestPipeFailureAsync();

        logger.Log(LogLevel.Error, ErrorExecutingServiceMethod, "Error when executing service method 'ChaincodeEvents'.", reset, (s, _) => s);

        Assert.Equal(LogLevel.Information, Assert.Single(logs.Entries).Level);
    }

    [Fact]
    public void A_handlers_own_IOException_stays_an_error()
    {
        var (logs, logger) = Logger(CallHandler);
        IOException own;
        try { throw new IOException("disk full"); }
        catch (IOException e) { own = e; }

        logger.Log(LogLevel.Error, ErrorExecutingServiceMethod, "Error when executing service method 'Submit'.", own, (s, _) => s);

        Assert.Equal(LogLevel.Error, Assert.Single(logs.Entries).Level);
    }

    [Fact]
    public async Task Other_categories_are_left_as_they_are()
    {
        var (logs, logger) = Logger("Fabric.Network.Gateway");
        logger.Log(LogLevel.Error, ErrorExecutingServiceMethod, "something else", await RequestPipeFailureAsync(), (s, _) => s);

        Assert.Equal(LogLevel.Error, Assert.Single(logs.Entries).Level);
    }

    private static (ListLoggerProvider Logs, ILogger Logger) Logger(string category)
    {
        var logs = new ListLoggerProvider();
        var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return (logs, new ClientResetLogging(factory).CreateLogger(category));
    }

    /// <summary>What Kestrel's request body pipe throws to a reader after the client reset the stream.</summary>
    private static async Task<IOException> RequestPipeFailureAsync()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync(new IOException("The client reset the request stream."));
        try
        {
            await pipe.Reader.ReadAsync();
        }
        catch (IOException e)
        {
            return e;
        }
        throw new InvalidOperationException("the pipe did not fail");
    }
}
