using Broadcast.Functions;

await BroadcastApp.Build(args).RunAsync();
