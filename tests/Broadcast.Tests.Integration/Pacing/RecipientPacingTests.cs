using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Integration.Pacing;

/// <summary>The messaging limit and the pair rate against a real Azurite, on a fake clock (no waiting a day).</summary>
public sealed class RecipientPacingTests
{
    private static async Task<(IStorage Storage, StorageNames Names)> StorageAsync()
    {
        var azurite = await Azurite.SharedAsync();
        var names = new StorageNames(TestApp.NewPrefix());
        var storage = AzureStorage.FromConnectionString(azurite.ConnectionString, names);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        return (storage, names);
    }

    private static List<(int, string)> Phones(int from, int count) =>
        Enumerable.Range(from, count).Select(i => (i - from, $"6281200000{i:D3}")).ToList();

    [Fact]
    public async Task The_limit_admits_new_recipients_until_the_window_is_full_and_says_when_it_frees_up()
    {
        var (storage, names) = await StorageAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var window = new RecipientWindow(storage.Tables, names, clock);
        var day = TimeSpan.FromDays(1);

        var first = await window.AdmitAsync("omnichat:a:device", 3, day, Phones(0, 2), CancellationToken.None);
        Assert.Empty(first.Held);
        clock.Advance(TimeSpan.FromHours(1));
        var second = await window.AdmitAsync("omnichat:a:device", 3, day, Phones(2, 3), CancellationToken.None);

        Assert.Equal([1, 2], second.Held.Order());
        // The two counted at 09:00 leave the window a day (and a minute's slice) later.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 1, 0, TimeSpan.Zero), second.ResumesAt);

        // Already messaged in the window: does not count again, goes at once.
        var again = await window.AdmitAsync("omnichat:a:device", 3, day, Phones(0, 3), CancellationToken.None);
        Assert.Empty(again.Held);
        var other = await window.AdmitAsync("omnichat:b:device", 3, day, Phones(3, 2), CancellationToken.None);
        Assert.Empty(other.Held); // another channel has its own limit

        // At 10:00 the three were counted again (moved to 10:00's slice); a day and two minutes later all are gone.
        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(2));
        var later = await window.AdmitAsync("omnichat:a:device", 3, day, Phones(3, 2), CancellationToken.None);
        Assert.Empty(later.Held);
        Assert.Null(later.ResumesAt);
    }

    [Fact]
    public async Task A_recipient_messaged_again_stays_counted_a_full_window_after_its_last_message()
    {
        var (storage, names) = await StorageAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        var window = new RecipientWindow(storage.Tables, names, clock);
        var day = TimeSpan.FromDays(1);

        await window.AdmitAsync("ch", 1, day, Phones(0, 1), CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Empty((await window.AdmitAsync("ch", 1, day, Phones(0, 1), CancellationToken.None)).Held);
        clock.Advance(TimeSpan.FromHours(2)); // 25 h after the first message, 2 h after the last

        var newcomer = await window.AdmitAsync("ch", 1, day, Phones(1, 1), CancellationToken.None);
        Assert.Single(newcomer.Held);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 23, 1, 0, TimeSpan.Zero), newcomer.ResumesAt);
    }

    [Fact]
    public async Task The_pair_rate_makes_a_second_send_to_a_number_wait_out_the_interval()
    {
        var (storage, names) = await StorageAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var pairs = new RecipientInterval(storage.Tables, names, clock);
        var interval = TimeSpan.FromSeconds(6);

        async Task<TimeSpan> WaitOf(string channel, string phone) => (await pairs.TakeTurnAsync(channel, phone, interval, CancellationToken.None)).Wait;

        var first = await pairs.TakeTurnAsync("ch", "6281290641111", interval, CancellationToken.None);
        Assert.Equal(TimeSpan.Zero, first.Wait);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await pairs.AnsweredAsync(first); // the vendor answered 0.5 s after the call went out: the interval counts from there
        clock.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(TimeSpan.FromSeconds(5.5), await WaitOf("ch", "6281290641111"));
        Assert.Equal(TimeSpan.Zero, await WaitOf("ch", "6281290642222"));
        Assert.Equal(TimeSpan.Zero, await WaitOf("other", "6281290641111"));
        clock.Advance(TimeSpan.FromSeconds(5.5));
        Assert.Equal(TimeSpan.Zero, await WaitOf("ch", "6281290641111"));
    }
}
