using System.CommandLine;
using CashTransfer.Api.Client;
using CashTransfer.Cli.Profiles;

namespace CashTransfer.Cli.Commands;

/// <summary>
/// How a command that calls the service is made: its help ends with an example, and its action gets a client for
/// the chosen profile; service errors are written with what to do and mapped to <see cref="ExitCodes"/>.
/// </summary>
public static class ApiCommand
{
    /// <summary>A command whose help shows <paramref name="example"/> under its description, taking <paramref name="inputs"/> (arguments in order, and options).</summary>
    public static Command Create(string name, string description, string example, params Symbol[] inputs)
    {
        var command = new Command(name, $"{description}\n\nExample:\n  {example}");
        foreach (var input in inputs)
        {
            if (input is Argument argument) command.Arguments.Add(argument);
            else if (input is Option option) command.Options.Add(option);
            else throw new ArgumentException($"{input.Name} is neither an argument nor an option.", nameof(inputs));
        }
        return command;
    }

    /// <summary>Runs <paramref name="action"/> with a client of the profile; reports failures as the user can act on them.</summary>
    public static void SetClientAction(this Command command, CliContext cli, Func<ParseResult, CashTransferClient, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var client = cli.Connect(parse);
                return await action(parse, client, ct);
            }
            catch (CashTransferApiException e)
            {
                return Report(cli, e.Message, e.Advice, ExitCodeOf(e));
            }
            catch (Exception e) when (e is ProfileException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or CommandInputException)
            {
                return Report(cli, e.Message, null, ExitCodes.Local);
            }
        });

    public static int ExitCodeOf(CashTransferApiException e) => e switch
    {
        InvalidRequestException => ExitCodes.Invalid,
        AuthenticationFailedException or NotAllowedException => ExitCodes.NotAllowed,
        NotFoundException => ExitCodes.NotFound,
        ConflictException => ExitCodes.Conflict,
        ServiceUnavailableException or ServiceUnreachableException => ExitCodes.Unavailable,
        _ => ExitCodes.ServiceFault,
    };

    private static int Report(CliContext cli, string message, string? advice, int exitCode)
    {
        cli.Error.WriteLine($"error: {message}");
        if (advice is not null) cli.Error.WriteLine($"what to do: {advice}");
        return exitCode;
    }
}

/// <summary>A command's input is unusable (e.g. a date that does not parse); the message says what to give instead.</summary>
public sealed class CommandInputException(string message) : Exception(message);
