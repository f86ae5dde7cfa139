using System.CommandLine;
using CashTransfer.Cli.Commands;
using Spectre.Console;

namespace CashTransfer.Cli.Profiles;

/// <summary><c>cashtransfer profile add|list</c>: whom the CLI acts as, kept under the user's config folder.</summary>
public static class ProfileCommands
{
    public static Command Build(CliContext cli)
    {
        var profile = new Command("profile", "Set up whom the CLI acts as: the service's URL, a key id and its private key file.");
        profile.Subcommands.Add(Add(cli));
        profile.Subcommands.Add(List(cli));
        return profile;
    }

    private static Command Add(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "A name for the profile, e.g. wfp-ops." };
        var url = new Option<Uri>("--url")
        {
            Description = "The service's URL, e.g. http://127.0.0.1:5080/.",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)) return parsed;
                result.AddError($"--url must be an http or https URL, e.g. http://127.0.0.1:5080/; got '{text}'.");
                return null;
            },
        };
        var keyId = new Option<string>("--key-id") { Description = "The key id the service knows, e.g. operator/wfp-ops.", Required = true };
        var keyFile = new Option<FileInfo>("--key-file") { Description = "PEM file of the private key (PKCS#8 or SEC1, ECDSA P-256).", Required = true };
        var makeDefault = new Option<bool>("--default") { Description = "Make it the default profile (the first one added is)." };
        var command = ApiCommand.Create("add", "Add or replace a profile.",
            "cashtransfer profile add wfp-ops --url http://127.0.0.1:5080/ --key-id operator/wfp-ops --key-file .data/demo/credentials/operator-wfp-ops.key.pem",
            name, url, keyId, keyFile, makeDefault);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(keyFile)!;
            if (!file.Exists)
            {
                cli.Error.WriteLine($"error: no key file at {file.FullName}\nwhat to do: give the PEM file of the key the service knows for this key id.");
                return ExitCodes.Local;
            }
            var added = new Profile(parse.GetValue(name)!, parse.GetValue(url)!, parse.GetValue(keyId)!, file.FullName);
            cli.Profiles.Save(added, parse.GetValue(makeDefault));
            cli.Write(parse, added, console => console.MarkupLine($"Saved profile [green]{Markup.Escape(added.Name)}[/] in {Markup.Escape(cli.Profiles.FilePath)}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext cli)
    {
        var command = ApiCommand.Create("list", "List the profiles; the default one is marked with *.", "cashtransfer profile list");
        command.SetAction(parse =>
        {
            var profiles = cli.Profiles.List();
            var defaultName = cli.Profiles.DefaultName;
            cli.Write(parse, profiles, console =>
            {
                if (profiles.Count == 0)
                {
                    console.WriteLine("No profiles yet: cashtransfer profile add NAME --url URL --key-id ID --key-file PEM");
                    return;
                }
                var table = new Table().AddColumns("", "name", "key id", "url");
                foreach (var p in profiles)
                    table.AddRow(p.Name == defaultName ? "*" : "", Markup.Escape(p.Name), Markup.Escape(p.KeyId), Markup.Escape(p.Url.ToString()));
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
