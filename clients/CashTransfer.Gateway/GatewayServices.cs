using CashTransfer.Gateway.Api;
using CashTransfer.Gateway.Auth;
using CashTransfer.Gateway.Bulk;
using CashTransfer.Gateway.Intake;
using CashTransfer.Gateway.Ledger;
using CashTransfer.Gateway.Options;
using CashTransfer.Gateway.Projection;
using CashTransfer.Gateway.Reconciliations;
using CashTransfer.Gateway.Storage;
using CashTransfer.Gateway.Submission;
using CashTransfer.Gateway.Telemetry;
using CashTransfer.Gateway.WebConsole;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CashTransfer.Gateway;

/// <summary>How the service is put together: storage, authentication and roles, the ledger port, background workers.</summary>
public static class GatewayServices
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidation>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<IDatabase>(sp => CreateDatabase(sp.GetRequiredService<IOptions<ServiceOptions>>().Value));
        services.AddSingleton<OutboxRepository>();
        services.AddSingleton<IdempotencyRepository>();
        services.AddSingleton<TerminalJournalRepository>();
        services.AddSingleton<TerminalRepository>();
        services.AddSingleton<ProjectionRepository>();
        services.AddSingleton<BulkJobRepository>();

        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<LogHasher>();
        var fabric = builder.Configuration.GetSection($"{ServiceOptions.Section}:Ledger").Get<Ledger.Fabric.FabricLedgerOptions>();
        if (string.Equals(fabric?.Provider, "Fabric", StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<Ledger.Fabric.IFabricIdentities>(_ => new Ledger.Fabric.SettingsFileIdentities(fabric!));
            services.TryAddSingleton<ILedgerGateway>(sp => new Ledger.Fabric.FabricLedgerGateway(sp.GetRequiredService<Ledger.Fabric.IFabricIdentities>(), fabric!.Channel, fabric.Chaincode));
        }
        services.TryAddSingleton<ILedgerGateway, UnconfiguredLedger>();
        services.AddSingleton<LedgerPipelines>();
        services.AddSingleton<ReceiptIntake>();
        services.AddSingleton<EventApplier>();
        services.AddSingleton<ReceiptSubmission>();
        services.AddSingleton<OutboxSubmitter>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSubmitter>());
        services.AddSingleton<EventProjector>();
        services.AddHostedService(sp => sp.GetRequiredService<EventProjector>());
        services.AddSingleton<Idempotency.IdempotencyPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<Idempotency.IdempotencyPurger>());
        services.AddSingleton<BulkUploadWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<BulkUploadWorker>());
        services.AddReconciliations();

        services.AddSingleton<ClientDirectory>();
        services.AddSingleton<RequestBodySpool>();
        services.AddAuthentication(SignedRequestHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SignedRequestHandler>(SignedRequestHandler.SchemeName, null);
        services.AddWebConsole(builder.Configuration);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, p => p.RequireRole(Policies.Operator))
            .AddPolicy(Policies.Auditor, p => p.RequireRole(Policies.Auditor))
            .AddPolicy(Policies.Terminal, p => p.RequireRole(Policies.Terminal))
            // No endpoint without a role: anything not marked otherwise needs an authenticated client.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        services.AddProblemDetails();
        services.AddSingleton<LedgerExceptionHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler>(sp => sp.GetRequiredService<LedgerExceptionHandler>());
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<LedgerHealthCheck>("ledger", tags: ["ready"]);

        var otlp = builder.Configuration[$"{ServiceOptions.Section}:{nameof(ServiceOptions.OtlpEndpoint)}"];
        if (!string.IsNullOrEmpty(otlp))
            services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder().AddMeter(GatewayMetrics.MeterName)
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)).Build());
        return builder;
    }

    public static async Task<WebApplication> UseGatewayAsync(this WebApplication app)
    {
        await Migrator.MigrateAsync(app.Services.GetRequiredService<IDatabase>());
        app.Services.GetRequiredService<RequestBodySpool>().Sweep(); // bodies of requests a killed process was reading
        app.Services.GetService<MeterProvider>(); // starts the metrics exporter when configured

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<Hosting.RequestBodyLimit>();
        app.UseWebConsoleFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<Idempotency.IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOperatorApi();
        app.MapTerminalApi();
        app.MapAuditorApi();
        app.MapReconciliationApi();
        app.MapWebConsole();
        return app;
    }

    private static IDatabase CreateDatabase(ServiceOptions o) => o.Storage.Provider switch
    {
        StorageProvider.Postgres => new PostgresDatabase(o.Storage.ConnectionString
            ?? throw new InvalidOperationException("CashTransfer:Storage:ConnectionString is required for PostgreSQL.")),
        _ => new SqliteDatabase(o.Storage.ConnectionString ?? Path.Combine(o.DataDirectory, "gateway.db")),
    };
}
