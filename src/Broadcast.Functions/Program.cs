using Broadcast.Functions;
using Broadcast.Functions.Hosting;

var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
if (FunctionsHost.LaunchedTheWorker(args, environment)) await WorkerApp.Build(args).RunAsync();
else await BroadcastApp.Build(args).RunAsync();
