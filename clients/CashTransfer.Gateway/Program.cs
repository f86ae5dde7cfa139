using CashTransfer.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddGateway();
var app = builder.Build();
await app.UseGatewayAsync();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
