using TrialRegistry.Cli;

return await CliApp.RunAsync(args);
