using System.Text.Json;
using Workflows.Programmes.Applications;

namespace Workflows.Service.Apis;

/// <summary>
/// An application as the bureau, finance and the applicant read it over HTTP: the facts and the quote and award traces
/// are JSON objects, not JSON text inside the JSON (<see cref="ApplicationView"/> keeps them as stored text).
/// </summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CallId">The call.</param>
/// <param name="ApplicantId">The applicant.</param>
/// <param name="ProgrammeId">The programme.</param>
/// <param name="CycleYear">The cycle year.</param>
/// <param name="Status">The status.</param>
/// <param name="SubmittedAt">When submitted.</param>
/// <param name="QuotedAmount">The amount quoted at submission.</param>
/// <param name="Score">The aggregated expert score.</param>
/// <param name="AwardAmount">The award computed.</param>
/// <param name="SupplementDue">The 补正 deadline while one is requested.</param>
/// <param name="QuoteTrace">The quote's steps and failed rules at submission (a JSON object), null before a quote.</param>
/// <param name="AwardTrace">The award computation's steps (a JSON object), null before an award.</param>
/// <param name="Decisions">Decisions in order.</param>
/// <param name="Reviewers">The expert assignments.</param>
/// <param name="Payments">Ledger entries paid.</param>
/// <param name="Facts">The facts as submitted (a JSON object).</param>
public sealed record ApplicationResource(
    long ApplicationId, long CallId, string ApplicantId, string ProgrammeId, int CycleYear, ApplicationStatus Status, DateTimeOffset SubmittedAt,
    decimal? QuotedAmount, decimal? Score, decimal? AwardAmount, DateTimeOffset? SupplementDue, JsonElement? QuoteTrace, JsonElement? AwardTrace,
    IReadOnlyList<DecisionRecord> Decisions, IReadOnlyList<ReviewerAssignment> Reviewers, IReadOnlyList<Programmes.Ledger.LedgerEntry> Payments, JsonElement? Facts)
{
    /// <summary>Turns the stored view into the HTTP shape.</summary>
    /// <param name="view">The view.</param>
    /// <returns>The resource.</returns>
    public static ApplicationResource From(ApplicationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ApplicationResource(
            view.ApplicationId, view.CallId, view.ApplicantId, view.ProgrammeId, view.CycleYear, view.Status, view.SubmittedAt,
            view.QuotedAmount, view.Score, view.AwardAmount, view.SupplementDue, Json(view.QuoteTrace), Json(view.AwardTrace),
            view.Decisions, view.Reviewers, view.Payments, Json(view.FactsJson));
    }

    /// <summary>Parses stored JSON text; text that is not JSON (never written by the product) is kept as a JSON string.</summary>
    /// <param name="text">The stored text.</param>
    /// <returns>The element, or null for none.</returns>
    internal static JsonElement? Json(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
