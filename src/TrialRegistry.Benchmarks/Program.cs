using TrialRegistry.Benchmarks;
using TrialRegistry.Web.Infrastructure;

// The registry app as it runs in production, with the raw baseline's endpoint beside its API: `.ci/bench` puts the
// same queries to both under the same load.
return await WebComposition.RunRegistryAsync(args, app => app.MapRawBaseline());
