using Broadcast.Sandbox;

SandboxApp.Build(args).Run();
