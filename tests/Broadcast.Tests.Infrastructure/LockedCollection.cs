using System.Collections;

namespace Broadcast.Tests.Infrastructure;

/// <summary>What an exporter writes from its own thread while the test reads: each enumeration reads a copy taken
/// under the lock, so a span exported meanwhile never breaks a query.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) return _items.Count; } }
    public bool IsReadOnly => false;

    public void Add(T item) { lock (_items) _items.Add(item); }
    public void Clear() { lock (_items) _items.Clear(); }
    public bool Contains(T item) { lock (_items) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_items) return _items.Remove(item); }

    public IEnumerator<T> GetEnumerator()
    {
        T[] copy;
        lock (_items) copy = [.. _items];
        return ((IEnumerable<T>)copy).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
