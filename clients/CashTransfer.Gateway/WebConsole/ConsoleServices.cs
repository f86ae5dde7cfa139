using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.FileProviders;

namespace CashTransfer.Gateway.WebConsole;

/// <summary>
/// How the web console joins the service: its session scheme beside the signed-request scheme (behind a selector that
/// becomes the default scheme), its sign-in endpoints, its list and aggregate endpoints under the existing roles,
/// and its static pages (HTML, one ES module per page, chart.js restored from npm) served at <c>/</c>.
/// </summary>
public static class ConsoleServices
{
    /// <summary>Where the pages are copied at build time, beside the service's assemblies.</summary>
    public static string SiteDirectory => Path.Combine(AppContext.BaseDirectory, "console");

    /// <summary>Pages may only load their own scripts and talk to their own origin; no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    /// <summary>Call after the signed-request scheme is added: makes the selector the default scheme.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ConsoleOptions>(configuration.GetSection(ConsoleOptions.Section));
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<SignInChallenges>();
        services.AddSingleton<ConsoleViews>();
        services.AddAuthentication(o => o.DefaultScheme = ConsoleAuthentication.SelectorScheme)
            .AddPolicyScheme(ConsoleAuthentication.SelectorScheme, "Signed request or console session", o => o.ForwardDefaultSelector = ConsoleAuthentication.SchemeFor)
            .AddScheme<AuthenticationSchemeOptions, ConsoleSessionHandler>(ConsoleSessionHandler.SchemeName, null);
        return services;
    }

    /// <summary>Serves the pages; call before authentication, since the pages themselves are public (their data is not).</summary>
    public static WebApplication UseWebConsoleFiles(this WebApplication app)
    {
        if (!Directory.Exists(SiteDirectory))
        {
            app.Logger.LogWarning("The web console's pages are missing from {Directory}; build the service to copy them.", SiteDirectory);
            return app;
        }
        var files = new PhysicalFileProvider(SiteDirectory);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c =>
            {
                var headers = c.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder app)
    {
        app.MapConsoleSignIn();
        app.MapOperatorConsoleApi();
        app.MapAuditorConsoleApi();
        return app;
    }
}
