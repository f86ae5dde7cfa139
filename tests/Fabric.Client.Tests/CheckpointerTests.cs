using System.Text.Json;

namespace Fabric.Client.Tests;

public sealed class CheckpointerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-client-checkpoint-").FullName;
    private string FilePath => Path.Combine(_dir, "events.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task New_file_checkpointer_has_no_position_and_creates_the_file()
    {
        var checkpointer = await FileCheckpointer.OpenAsync(FilePath);
        Assert.Null(checkpointer.BlockNumber);
        Assert.Null(checkpointer.TransactionId);
        Assert.True(File.Exists(FilePath));
        Assert.Equal("{}", await File.ReadAllTextAsync(FilePath));
    }

    [Fact]
    public async Task Position_survives_a_restart()
    {
        var first = await FileCheckpointer.OpenAsync(FilePath);
        await first.CheckpointChaincodeEventAsync(new ChaincodeEvent(23, "tx-a", "kvcc", "Put", []));

        var resumed = await FileCheckpointer.OpenAsync(FilePath);
        Assert.Equal((23ul, "tx-a"), (resumed.BlockNumber, resumed.TransactionId));

        await resumed.CheckpointBlockAsync(23);
        var again = await FileCheckpointer.OpenAsync(FilePath);
        Assert.Equal(24ul, again.BlockNumber);
        Assert.Null(again.TransactionId);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        Assert.Equal(24ul, json.RootElement.GetProperty("blockNumber").GetUInt64());
        Assert.False(json.RootElement.TryGetProperty("transactionId", out _));
    }

    [Fact]
    public async Task Reads_the_node_client_format_with_the_block_number_as_a_string()
    {
        await File.WriteAllTextAsync(FilePath, "{\"blockNumber\":\"101\",\"transactionId\":\"abc\"}");
        var checkpointer = await FileCheckpointer.OpenAsync(FilePath);
        Assert.Equal((101ul, "abc"), (checkpointer.BlockNumber, checkpointer.TransactionId));
    }

    [Fact]
    public async Task A_crash_before_the_rename_leaves_the_previous_checkpoint_intact()
    {
        var checkpointer = await FileCheckpointer.OpenAsync(FilePath);
        await checkpointer.CheckpointTransactionAsync(7, "tx-7");
        // What a crash in the middle of the next write leaves behind: a torn temporary file beside the checkpoint.
        await File.WriteAllTextAsync(FilePath + ".deadbeef.tmp", "{\"blockNumber\":8,\"transac");

        var resumed = await FileCheckpointer.OpenAsync(FilePath);
        Assert.Equal((7ul, "tx-7"), (resumed.BlockNumber, resumed.TransactionId));
    }

    [Fact]
    public async Task Every_read_during_many_checkpoints_sees_a_complete_position()
    {
        var checkpointer = await FileCheckpointer.OpenAsync(FilePath);
        await checkpointer.CheckpointBlockAsync(0);
        using var stop = new CancellationTokenSource();
        var torn = 0;
        var reads = 0;
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var text = await File.ReadAllTextAsync(FilePath);
                    using var json = JsonDocument.Parse(text);
                    if (!json.RootElement.TryGetProperty("blockNumber", out _)) torn++;
                    reads++;
                }
                catch (JsonException) { torn++; }
                catch (FileNotFoundException) { torn++; } // the checkpoint must never be missing either
                reading.TrySetResult();
            }
        });
        await reading.Task; // the reader is running before the checkpoints start, so the two overlap
        for (ulong block = 1; block <= 300; block++)
            await checkpointer.CheckpointTransactionAsync(block, new string('x', 64 + (int)(block % 50)));
        await stop.CancelAsync();
        await reader;

        Assert.Equal(0, torn);
        Assert.True(reads > 0);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.Equal(300ul, (await FileCheckpointer.OpenAsync(FilePath)).BlockNumber);
    }

    [Fact]
    public async Task A_file_that_is_not_a_checkpoint_is_reported_and_left_alone()
    {
        await File.WriteAllTextAsync(FilePath, "not json");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => FileCheckpointer.OpenAsync(FilePath));
        Assert.Contains(FilePath, e.Message);
        Assert.Equal("not json", await File.ReadAllTextAsync(FilePath));
    }

    [Fact]
    public async Task In_memory_checkpointer_follows_the_same_rules()
    {
        var checkpointer = new InMemoryCheckpointer();
        Assert.Null(checkpointer.BlockNumber);
        await checkpointer.CheckpointTransactionAsync(5, "tx");
        Assert.Equal((5ul, "tx"), (checkpointer.BlockNumber, checkpointer.TransactionId));
        await checkpointer.CheckpointBlockAsync(5);
        Assert.Equal((6ul, (string?)null), (checkpointer.BlockNumber, checkpointer.TransactionId));
    }
}
