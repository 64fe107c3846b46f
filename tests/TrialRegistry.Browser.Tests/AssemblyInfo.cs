[assembly: AssemblyFixture(typeof(TrialRegistry.Testing.PostgresServer))]
