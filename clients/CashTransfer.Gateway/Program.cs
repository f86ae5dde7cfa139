// The service is wired up in the next steps; for now the project holds its storage layer.
var app = WebApplication.CreateBuilder(args).Build();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
