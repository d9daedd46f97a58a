using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Programmes;
using Workflows.Programmes.Ledger;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>The payment ledger per programme and cycle year as JSON, CSV (UTF-8 with BOM) or Excel (<see cref="DomainXlsx"/>). Finance, bureau, admin.</summary>
public static class LedgerApi
{
    /// <summary>The Excel content type.</summary>
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Header = ["申请人 Applicant", "项目 Programme", "年度 Cycle year", "期次 Instalment", "金额（元） Amount", "支付年度 Payment year", "支付时间 Paid at", "来源 Source", "档次 Tier", "项目标识 Project", "单位名称 Name", "依据 Clause"];

    /// <summary>Maps <c>/api/ledger</c>, <c>/api/ledger.csv</c>, <c>/api/ledger.xlsx</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Ledger").RequireAuthorization(WorkflowPolicies.Finance);
        group.MapGet("/ledger", Get).WithName("GetLedger").WithSummary("Payments of ?programme=&year= (JSON; ?format=csv or xlsx for exports).");
        group.MapGet("/ledger.csv", (ProgrammeOperations operations, string? programme, int? year) => Csv(operations, Entries(operations, programme, year), programme, year))
            .WithName("GetLedgerCsv").WithSummary("The ledger as CSV (UTF-8 with BOM).");
        group.MapGet("/ledger.xlsx", (ProgrammeOperations operations, string? programme, int? year) => Xlsx(operations, Entries(operations, programme, year), programme, year))
            .WithName("GetLedgerXlsx").WithSummary("The ledger as an Excel workbook.");
        return group;
    }

    /// <summary>The ledger in the format asked for.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="programme">The programme.</param>
    /// <param name="year">The cycle year.</param>
    /// <param name="format">json (default), csv or xlsx.</param>
    /// <returns>200; 422 without programme and year or for an unknown format.</returns>
    public static Results<Ok<IReadOnlyList<LedgerEntry>>, FileContentHttpResult> Get(ProgrammeOperations operations, string? programme, int? year, string? format)
    {
        var entries = Entries(operations, programme, year);
        return (format ?? "json").ToUpperInvariant() switch
        {
            "JSON" => TypedResults.Ok(entries),
            "CSV" => Csv(operations, entries, programme, year),
            "XLSX" => Xlsx(operations, entries, programme, year),
            _ => throw new ProgrammeValidationException("format", "Use json, csv or xlsx."),
        };
    }

    /// <summary>Writes the entries as CSV with a UTF-8 byte order mark (so Excel reads Chinese).</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="describe">The payee's name and the programme's clause of an entry; empty columns when null.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToCsv(IEnumerable<LedgerEntry> entries, Func<LedgerEntry, (string Name, string Clause)>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Header.Select(Field))).Append("\r\n");
        foreach (var e in entries)
        {
            sb.Append(string.Join(',', Row(e, describe).Select(v => Field(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty)))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    private static IReadOnlyList<LedgerEntry> Entries(ProgrammeOperations operations, string? programme, int? year)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (string.IsNullOrWhiteSpace(programme) || year is null)
        {
            throw new ProgrammeValidationException("programme", "Name the programme and the cycle year: ?programme=…&year=….");
        }

        return operations.GetLedger(programme, year.Value);
    }

    private static FileContentHttpResult Csv(ProgrammeOperations operations, IReadOnlyList<LedgerEntry> entries, string? programme, int? year) =>
        TypedResults.File(ToCsv(entries, Describe(operations, entries)), "text/csv; charset=utf-8", $"ledger-{programme}-{year}.csv");

    private static FileContentHttpResult Xlsx(ProgrammeOperations operations, IReadOnlyList<LedgerEntry> entries, string? programme, int? year)
    {
        var describe = Describe(operations, entries);
        return TypedResults.File(DomainXlsx.Write("Ledger", [Header, .. entries.Select(e => (IReadOnlyList<object?>)Row(e, describe))]), XlsxContentType, $"ledger-{programme}-{year}.xlsx");
    }

    // The payee's registered name and the clause the programme pays under, so an exported row can be checked
    // against the 公示 and the policy text without a second lookup.
    private static Func<LedgerEntry, (string Name, string Clause)> Describe(ProgrammeOperations operations, IReadOnlyList<LedgerEntry> entries)
    {
        var names = operations.Services.Records.Read(c => entries.Select(e => e.ApplicantId).Distinct(StringComparer.Ordinal)
            .ToDictionary(id => id, id => Programmes.Parties.PartyDirectory.Get(c, id)?.Name ?? string.Empty, StringComparer.Ordinal));
        return e => (names.GetValueOrDefault(e.ApplicantId, string.Empty),
            operations.Services.Catalogue.TryGet(e.ProgrammeId, out var p) ? p.Citation.ToString() : string.Empty);
    }

    private static object?[] Row(LedgerEntry e, Func<LedgerEntry, (string Name, string Clause)>? describe)
    {
        var (name, clause) = describe?.Invoke(e) ?? (string.Empty, string.Empty);
        return
        [
            e.ApplicantId, e.ProgrammeId, e.CycleYear, e.Instalment, e.Amount, e.PaymentYear,
            e.PaidAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Source, e.Tier ?? string.Empty, e.ProjectKey ?? string.Empty,
            name, clause,
        ];
    }

    private static string Field(string value)
    {
        // Cells starting with a formula character are prefixed so a spreadsheet never evaluates them.
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
