namespace CashTransfer.Gateway.Reconciliations;

/// <summary>The reconciliation jobs' services: the job store, the resubmitter and the background worker.</summary>
public static class ReconciliationServices
{
    public static IServiceCollection AddReconciliations(this IServiceCollection services)
    {
        services.AddSingleton<ReconciliationJobStore>();
        services.AddSingleton<OutboxResubmitter>();
        services.AddSingleton<ReconciliationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconciliationWorker>());
        return services;
    }
}
