using Common;
using Google.Protobuf;

namespace Fabric.Network.Policies;

/// <summary>
/// Parses Fabric's policy language into a <c>common.SignaturePolicyEnvelope</c>:
/// <c>AND('A.peer','B.peer')</c>, <c>OR('A.member', AND('B.admin','C.client'))</c>, <c>OutOf(2,'A.peer','B.peer','C.peer')</c>.
/// Roles: member, admin, client, peer, orderer.
/// </summary>
public static class SignaturePolicyParser
{
    public static SignaturePolicyEnvelope Parse(string text)
    {
        var parser = new Parser(text);
        var envelope = new SignaturePolicyEnvelope { Version = 0 };
        var principals = new Dictionary<string, int>();
        envelope.Rule = parser.ParseRule(envelope, principals);
        parser.ExpectEnd();
        return envelope;
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public Common.SignaturePolicy ParseRule(SignaturePolicyEnvelope envelope, Dictionary<string, int> principals)
        {
            SkipSpace();
            if (Peek() is '\'' or '"') return SignedBy(ReadQuoted(), envelope, principals);
            var name = ReadIdentifier();
            Expect('(');
            int? n = null;
            if (name.Equals("OutOf", StringComparison.OrdinalIgnoreCase))
            {
                n = ReadInteger();
                Expect(',');
            }
            else if (!name.Equals("AND", StringComparison.OrdinalIgnoreCase) && !name.Equals("OR", StringComparison.OrdinalIgnoreCase))
                throw Error($"unknown operator '{name}' (expected AND, OR or OutOf)");
            var rules = new List<Common.SignaturePolicy>();
            while (true)
            {
                rules.Add(ParseRule(envelope, principals));
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                Expect(')');
                break;
            }
            int required = n ?? (name.Equals("AND", StringComparison.OrdinalIgnoreCase) ? rules.Count : 1);
            if (required < 0 || required > rules.Count) throw Error($"OutOf({required}, ...) needs at least {required} rules; it has {rules.Count}");
            var nOutOf = new Common.SignaturePolicy.Types.NOutOf { N = required };
            nOutOf.Rules.AddRange(rules);
            return new Common.SignaturePolicy { NOutOf = nOutOf };
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length) throw Error("unexpected text after the policy");
        }

        private static Common.SignaturePolicy SignedBy(string principal, SignaturePolicyEnvelope envelope, Dictionary<string, int> principals)
        {
            if (!principals.TryGetValue(principal, out var index))
            {
                int dot = principal.LastIndexOf('.');
                if (dot <= 0) throw new FormatException($"principal '{principal}' must be 'MSPID.role'");
                var role = principal[(dot + 1)..].ToLowerInvariant() switch
                {
                    "member" => MSPRole.Types.MSPRoleType.Member,
                    "admin" => MSPRole.Types.MSPRoleType.Admin,
                    "client" => MSPRole.Types.MSPRoleType.Client,
                    "peer" => MSPRole.Types.MSPRoleType.Peer,
                    "orderer" => MSPRole.Types.MSPRoleType.Orderer,
                    var other => throw new FormatException($"unknown role '{other}' in '{principal}' (member, admin, client, peer, orderer)"),
                };
                index = envelope.Identities.Count;
                envelope.Identities.Add(new MSPPrincipal
                {
                    PrincipalClassification = MSPPrincipal.Types.Classification.Role,
                    Principal = new MSPRole { MspIdentifier = principal[..dot], Role = role }.ToByteString(),
                });
                principals[principal] = index;
            }
            return new Common.SignaturePolicy { SignedBy = index };
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private string ReadIdentifier()
        {
            int start = _pos;
            while (_pos < text.Length && char.IsLetter(text[_pos])) _pos++;
            if (start == _pos) throw Error("expected AND, OR, OutOf or a quoted principal");
            return text[start.._pos];
        }

        private int ReadInteger()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < text.Length && char.IsDigit(text[_pos])) _pos++;
            if (start == _pos) throw Error("expected a number");
            return int.Parse(text[start.._pos], System.Globalization.CultureInfo.InvariantCulture);
        }

        private string ReadQuoted()
        {
            char quote = text[_pos++];
            int end = text.IndexOf(quote, _pos);
            if (end < 0) throw Error("unterminated principal");
            var value = text[_pos..end];
            _pos = end + 1;
            return value;
        }

        private FormatException Error(string what) => new($"policy '{text}': {what} at position {_pos}");
    }
}
