using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure.Storage;

namespace Broadcast.Tests.Unit.Storage;

/// <summary>The same contract for the in-memory fake the unit tests use.</summary>
public sealed class InMemoryStorageContractTests : StorageContract
{
    private readonly InMemoryStorage _storage = new();

    protected override Task<IStorage> CreateAsync(StorageNames names) => Task.FromResult<IStorage>(_storage);
}
