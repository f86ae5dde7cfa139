using System.CommandLine;

namespace CashTransfer.Cli.Serving;

/// <summary>The <c>--gateway-url</c> option: an absolute http URL on a loopback address (port 0 picks a free port).</summary>
public static class GatewayUrlOption
{
    public static Option<Uri?> Create(string description, Uri? defaultValue)
    {
        var option = new Option<Uri?>("--gateway-url")
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback) return url;
                result.AddError($"--gateway-url must be an http URL on a loopback address, e.g. {ServedStack.DefaultGatewayUrl}; got '{text}'.");
                return null;
            },
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }
}
