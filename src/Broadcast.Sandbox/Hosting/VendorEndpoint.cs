namespace Broadcast.Sandbox.Hosting;

/// <summary>Wraps a vendor handler: body reading, behaviour gate, recording and counting.</summary>
internal static class VendorEndpoint
{
    public static RequestDelegate Create(SandboxState state, string vendor, VendorErrorWriter writeError, Func<VendorCall, Task> handle)
    {
        var vendorIndex = Vendors.IndexOf(vendor);
        return async http =>
        {
            var receivedAt = DateTimeOffset.UtcNow;
            var (ledger, behavior, seq) = state.Begin(vendorIndex);
            var call = new VendorCall(http, state, ledger, behavior, writeError);
            try
            {
                await call.ReadBodyAsync();
                if (!await call.GateAsync())
                    await handle(call);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
            {
                call.MarkAborted();
            }
            finally
            {
                call.CountOutcome();
                if (state.Settings.Record)
                    state.Record(call.ToRecord(seq, vendor, receivedAt));
            }
        };
    }
}
