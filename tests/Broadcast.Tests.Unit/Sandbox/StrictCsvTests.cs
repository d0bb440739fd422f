using Broadcast.Sandbox.Qiscus;

namespace Broadcast.Tests.Unit.Sandbox;

public sealed class StrictCsvTests
{
    [Fact]
    public void Reads_quotes_doubled_quotes_separators_and_line_breaks_inside_quotes()
    {
        var rows = StrictCsv.Parse("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n\n,,\nlast,row,\"\"", ',');

        Assert.Equal(4, rows.Count);
        Assert.Equal(["a", "b", "c"], rows[0]);
        Assert.Equal(["x,1", "say \"hi\"", "two\r\nlines"], rows[1]);
        Assert.Equal(["", "", ""], rows[2]);
        Assert.Equal(["last", "row", ""], rows[3]);
    }

    [Fact]
    public void Uses_the_given_separator_and_skips_a_byte_order_mark()
    {
        var rows = StrictCsv.Parse("\uFEFFphone_number;name\n62811;\"A;B\"\n", ';');

        Assert.Equal(["phone_number", "name"], rows[0]);
        Assert.Equal(["62811", "A;B"], rows[1]);
    }

    [Theory]
    [InlineData("a,\"unclosed\n")]
    [InlineData("a,\"x\"y\n")]
    [InlineData("a,b\"c\n")]
    public void Malformed_quoting_is_an_error(string text)
    {
        Assert.Throws<CsvFormatException>(() => StrictCsv.Parse(text, ','));
    }

    [Fact]
    public void Empty_text_has_no_rows()
    {
        Assert.Empty(StrictCsv.Parse("", ','));
    }
}
