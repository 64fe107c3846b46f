[assembly: AssemblyFixture(typeof(TrialRegistry.Testing.PostgresServer))]

// Every browser test starts the app and Chromium: slow, left out by `dotnet test --filter "Speed!=Slow"`.
[assembly: Trait("Speed", "Slow")]
