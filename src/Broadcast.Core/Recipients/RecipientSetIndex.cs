namespace Broadcast.Core.Recipients;

/// <summary>The index: page <c>i</c> holds recipients <c>[i*PageSize, (i+1)*PageSize)</c> at bytes
/// <c>[Offsets[i], Offsets[i+1])</c> of the data blob.</summary>
public sealed record RecipientSetIndex(int PageSize, long Count, long[] Offsets)
{
    /// <summary>One page is one workflow batch: a queue work item, one group commit of outcomes.</summary>
    public const int DefaultPageSize = 100;

    public int PageCount => Offsets.Length - 1;

    public int CountOf(int page) => (int)Math.Min(PageSize, Count - (long)page * PageSize);

    public byte[] ToBytes()
    {
        var bytes = new byte[4 + 4 + 8 + 4 + Offsets.Length * 8];
        var span = bytes.AsSpan();
        BitConverter.TryWriteBytes(span[0..4], 1); // format version
        BitConverter.TryWriteBytes(span[4..8], PageSize);
        BitConverter.TryWriteBytes(span[8..16], Count);
        BitConverter.TryWriteBytes(span[16..20], Offsets.Length);
        for (var i = 0; i < Offsets.Length; i++) BitConverter.TryWriteBytes(span[(20 + i * 8)..], Offsets[i]);
        return bytes;
    }

    public static RecipientSetIndex FromBytes(ReadOnlySpan<byte> span)
    {
        var version = BitConverter.ToInt32(span[0..4]);
        if (version != 1) throw new InvalidDataException($"Unknown recipient index version {version}.");
        var pageSize = BitConverter.ToInt32(span[4..8]);
        var count = BitConverter.ToInt64(span[8..16]);
        var n = BitConverter.ToInt32(span[16..20]);
        var offsets = new long[n];
        for (var i = 0; i < n; i++) offsets[i] = BitConverter.ToInt64(span[(20 + i * 8)..]);
        return new RecipientSetIndex(pageSize, count, offsets);
    }
}
