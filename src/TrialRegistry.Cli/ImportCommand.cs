namespace TrialRegistry.Cli;

public static class ImportCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => Task.FromResult(2);
}
