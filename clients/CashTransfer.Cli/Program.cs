using CashTransfer.Cli;
using CashTransfer.Cli.Commands;

return await CliApp.Build(CliContext.ForConsole()).Parse(args).InvokeAsync();
