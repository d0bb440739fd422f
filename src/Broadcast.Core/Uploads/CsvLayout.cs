using Broadcast.Core.Vendors;

namespace Broadcast.Core.Uploads;

/// <summary>The seam between uploads and a vendor folder: a vendor's own CSV layout (the columns of the template its
/// dashboard hands out), which uploads recognise by a column only it has and then read with it. A vendor with one keeps
/// it in its folder and names it in <see cref="VendorCapabilities.CsvLayout"/>; uploads try every registered vendor's.
/// A header no vendor layout claims is read as <see cref="SimpleCsvLayout"/> (phone, name, every other column a
/// variable).</summary>
public abstract class CsvLayout
{
    /// <summary>The layout's name in upload summaries (<c>layout</c>): an API value, so it never changes.</summary>
    public abstract string Name { get; }

    /// <summary>How the layout's template takes its variables, checked against the vendor an upload names.</summary>
    public abstract VariableStyle Variables { get; }

    /// <summary>How its variable columns are written, for messages: <c>body_variable1..N</c>, <c>{name}</c>.</summary>
    public abstract string VariableColumns { get; }

    /// <summary>Names the recipient's name column has in this layout, beside the common ones.</summary>
    public virtual IReadOnlyList<string> NameColumns => [];

    /// <summary>True for a column only this layout has: a header with one is in this layout.</summary>
    public abstract bool Recognizes(string column);

    /// <summary>Where each value of a row is, given the header (trimmed, without empty or duplicate names) and the
    /// phone and name columns found in it (-1: no name column).</summary>
    /// <exception cref="UploadRejectedException">A column this layout has no place for, or numbered columns with a
    /// gap: a bad file, naming the column.</exception>
    public abstract CsvLayoutColumns Map(IReadOnlyList<string> columns, int phone, int name, long row);

    /// <summary>Numbered columns run 1, 2, 3… : a gap means a column was lost or misspelt.</summary>
    protected static void CheckNoGap(IEnumerable<int> numbers, Func<int, string> nameOf, long row)
    {
        var expected = 1;
        foreach (var n in numbers)
        {
            if (n != expected)
                throw UploadRejectedException.BadFile(
                    $"The header has {nameOf(n)} but no {nameOf(expected)}: numbered columns run from 1 without a gap.", row, nameOf(expected));
            expected++;
        }
    }
}

/// <summary>Where a layout finds each value of a row (column indexes; -1: the layout has no such column).</summary>
/// <param name="Variables">The per-recipient variables, in the order <see cref="Messaging.Recipient.Variables"/> holds them.</param>
/// <param name="ButtonVariables">Per button, its variables' columns in order; null: no buttons.</param>
/// <param name="ButtonTypes">The values <paramref name="ButtonType"/>'s column may hold.</param>
public sealed record CsvLayoutColumns(
    IReadOnlyList<int> Variables,
    int HeaderVariable = -1,
    int ButtonType = -1,
    IReadOnlyList<IReadOnlyList<int>>? ButtonVariables = null,
    IReadOnlyList<string>? ButtonTypes = null);
