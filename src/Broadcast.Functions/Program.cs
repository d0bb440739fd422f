using Broadcast.Functions.Hosting;
using Broadcast.Functions;

if (FunctionManifestCommand.Matches(args)) return await FunctionManifestCommand.RunAsync(args);
await BroadcastApp.Build(args).RunAsync();
return 0;
