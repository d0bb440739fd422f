using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors.Qiscus;
using CsvHelper;

namespace Broadcast.Tests.Unit.Vendors;

/// <summary>The CSV sent to Qiscus's broadcast upload is the dashboard's own template layout.</summary>
public sealed class QiscusCsvTests
{
    [Fact]
    public void Recipients_are_written_in_the_template_layout_with_values_quoted_only_when_needed()
    {
        var csvText = QiscusCsv.Write(
        [
            new Recipient(1, "6281200000001", "Budi", ["Rp 10,000", "say \"hi\""], "header", "url", [["promo-1"]]),
            new Recipient(2, "6281200000002", null, ["=1+1"]),
        ]);

        var lines = csvText.Split("\r\n");
        Assert.Equal("phone_number,customer_name,header_variable,body_variable1,body_variable2,button_type,button1_variable1", lines[0]);
        Assert.Equal("6281200000001,Budi,header,\"Rp 10,000\",\"say \"\"hi\"\"\",url,promo-1", lines[1]);
        Assert.Equal("6281200000002,,,=1+1,,,", lines[2]); // the vendor reads values as they are: no spreadsheet escaping
        Assert.Equal("", lines[3]);
        using var csv = CsvReader.Create(new StringReader(csvText), null, leaveOpen: false);
        csv.ReadHeader();
        Assert.True(csv.Read());
        Assert.Equal("say \"hi\"", csv.GetString("body_variable2"));
    }
}
