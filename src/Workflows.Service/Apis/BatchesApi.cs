using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Service.Http;
using Workflows.Programmes;
using Workflows.Programmes.Batches;
using Workflows.Programmes.Operations;

namespace Workflows.Service.Apis;

/// <summary>免申即享 recognised lists (bureau): CSV upload and read, over <see cref="BatchOperations"/>.</summary>
public static class BatchesApi
{
    /// <summary>Maps <c>/api/batches</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapBatchesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/batches").WithTags("Batches").RequireAuthorization(WorkflowPolicies.Bureau);
        group.MapPost("/", UploadAsync).WithIdempotency().WithName("UploadBatch")
            .WithSummary("Loads a recognised list: ?batchId=&programme=&year=, body text/csv with header partyId,name,email,facts (facts a JSON object).");
        group.MapGet("/{id}", Get).WithName("GetBatch").WithSummary("A batch with its entries.");
        return group;
    }

    /// <summary>Loads a batch from CSV.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="request">The request (CSV body).</param>
    /// <param name="batchId">The batch id.</param>
    /// <param name="programme">The programme.</param>
    /// <param name="year">The cycle year.</param>
    /// <param name="user">The officer.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <returns>201; 422 for a malformed list.</returns>
    public static async Task<Created<BatchView>> UploadAsync(
        ProgrammeOperations operations, HttpRequest request, string? batchId, string? programme, int? year, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(batchId) || string.IsNullOrWhiteSpace(programme) || year is null)
        {
            throw new ProgrammeValidationException("batchId", "Name the batch, programme and year: ?batchId=…&programme=…&year=….");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var rows = ParseCsv(await reader.ReadToEndAsync(cancellationToken));
        if (rows.Count < 2 || !rows[0].Select(h => h.Trim()).SequenceEqual(["partyId", "name", "email", "facts"], StringComparer.OrdinalIgnoreCase))
        {
            throw new ProgrammeValidationException("csv", "The list needs the header partyId,name,email,facts and at least one row.");
        }

        var parties = new List<BatchPartyRow>();
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].Count != 4)
            {
                throw new ProgrammeValidationException("csv", $"Row {i + 1} has {rows[i].Count} fields; expected 4.");
            }

            parties.Add(new BatchPartyRow(rows[i][0].Trim(), rows[i][1].Trim(), rows[i][2].Trim(), rows[i][3]));
        }

        var view = await new BatchOperations(operations.Services, operations.Client)
            .LoadAsync(new LoadBatchRequest(batchId, programme, year.Value, parties), DomainAccess.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/batches/{view.BatchId}", view);
    }

    /// <summary>Reads a batch.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The batch.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<BatchView> Get(ProgrammeOperations operations, string id)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(new BatchOperations(operations.Services, operations.Client).Get(id));
    }

    /// <summary>Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); blank lines are skipped.</summary>
    /// <param name="text">The CSV.</param>
    /// <returns>The rows.</returns>
    public static List<List<string>> ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                if (row.Count > 1 || row[0].Length > 0)
                {
                    rows.Add(row);
                }

                row = [];
            }
            else
            {
                field.Append(ch);
            }
        }

        if (quoted)
        {
            throw new ProgrammeValidationException("csv", "A quoted field is not closed.");
        }

        row.Add(field.ToString().TrimEnd('\r'));
        if (row.Count > 1 || row[0].Length > 0)
        {
            rows.Add(row);
        }

        return rows;
    }
}
