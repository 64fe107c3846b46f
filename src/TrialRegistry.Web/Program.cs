using TrialRegistry.Web.Infrastructure;

return await WebComposition.RunRegistryAsync(args);

/// <summary>The web host's entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
