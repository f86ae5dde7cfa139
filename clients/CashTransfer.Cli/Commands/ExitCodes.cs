namespace CashTransfer.Cli.Commands;

/// <summary>
/// What the <c>cashtransfer</c> command's exit status means, for scripts (also in the README). Usage errors
/// (unknown option, missing argument) exit with 1, as System.CommandLine does.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    /// <summary>The service refused the request as invalid (400, 415, 422): nothing was changed.</summary>
    public const int Invalid = 2;
    /// <summary>The key was not accepted (401), or the profile's role or agency may not do this (403).</summary>
    public const int NotAllowed = 3;
    public const int NotFound = 4;
    /// <summary>It conflicts with what is recorded (409), often: already done.</summary>
    public const int Conflict = 5;
    /// <summary>The service did not answer, or it or its ledger is unavailable (502, 503, 504, 429), after retries.</summary>
    public const int Unavailable = 6;
    /// <summary>A local problem: no such profile, key file or input file.</summary>
    public const int Local = 7;
    /// <summary>An upload finished, but some rows were not issued (see the results file).</summary>
    public const int RowsFailed = 8;
    /// <summary>The service failed unexpectedly (500).</summary>
    public const int ServiceFault = 70;
}
