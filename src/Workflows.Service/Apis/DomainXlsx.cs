using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Workflows.Service.Apis;

/// <summary>
/// A minimal Office Open XML (SpreadsheetML) writer: one sheet, inline strings and numbers. ClosedXML 0.95.4 does not
/// restore here (its dependency ExcelNumberFormat is missing from the package source), so the few parts a workbook
/// needs are written directly.
/// </summary>
public static class DomainXlsx
{
    /// <summary>Writes one sheet of rows; numbers (<see cref="decimal"/>, <see cref="int"/>, <see cref="long"/>) become numeric cells.</summary>
    /// <param name="sheetName">The sheet name.</param>
    /// <param name="rows">The rows, the header first.</param>
    /// <returns>The .xlsx bytes.</returns>
    public static byte[] Write(string sheetName, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
                """);
            Add(zip, "xl/workbook.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{SecurityElement.Escape(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>
                """);
            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            var r = 0;
            foreach (var row in rows)
            {
                r++;
                sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{r}\">");
                for (var c = 0; c < row.Count; c++)
                {
                    var reference = Column(c) + r.ToString(CultureInfo.InvariantCulture);
                    sheet.Append(row[c] switch
                    {
                        decimal or int or long => string.Create(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{row[c]}</v></c>"),
                        null => string.Empty,
                        var v => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(Convert.ToString(v, CultureInfo.InvariantCulture))}</t></is></c>",
                    });
                }

                sheet.Append("</row>");
            }

            sheet.Append("</sheetData></worksheet>");
            Add(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return buffer.ToArray();
    }

    private static string Column(int index)
    {
        var name = string.Empty;
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            name = (char)('A' + ((i - 1) % 26)) + name;
        }

        return name;
    }

    private static void Add(ZipArchive zip, string path, string content)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        using var stream = entry.Open();
        var bytes = new UTF8Encoding(false).GetBytes(content);
        stream.Write(bytes);
    }
}
