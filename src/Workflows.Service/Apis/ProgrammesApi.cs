using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Policies;
using Workflows.Programmes;
using Workflows.Programmes.Claims;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Sanctions;
using Workflows.Programmes.Security;

namespace Workflows.Service.Apis;

/// <summary>A programme of the catalogue.</summary>
/// <param name="Id">The programme id, e.g. <c>001-zjtx-award</c>.</param>
/// <param name="TitleZh">The Chinese title.</param>
/// <param name="NameEn">The English name.</param>
/// <param name="Bureau">The bureau in charge.</param>
/// <param name="InForce">The period in force, as text.</param>
public sealed record ProgrammeSummary(string Id, string TitleZh, string NameEn, string Bureau, string? InForce);

/// <summary>One programme as an applicant prepares for it: its clause, who may apply, the facts it reads and its conditions.</summary>
/// <param name="Id">The programme id.</param>
/// <param name="TitleZh">The Chinese title.</param>
/// <param name="NameEn">The English name.</param>
/// <param name="Bureau">The bureau in charge.</param>
/// <param name="InForce">The period in force, as text.</param>
/// <param name="Citation">The seed file and clause it comes from, e.g. <c>001 三(六)</c>.</param>
/// <param name="Applicant">Who may apply (enterprise, person, …).</param>
/// <param name="Facts">Every fact the rules and the formula read: what to put in the profile or the application.</param>
/// <param name="Rules">The eligibility conditions, each with its clause.</param>
public sealed record ProgrammeDetails(string Id, string TitleZh, string NameEn, string Bureau, string? InForce, string Citation, string Applicant,
    IReadOnlyList<FactView> Facts, IReadOnlyList<RuleView> Rules);

/// <summary>A fact a programme reads.</summary>
/// <param name="Name">The JSON name in <c>facts</c>.</param>
/// <param name="Expected">The value expected, e.g. <c>true or false</c> or <c>one of: a, b</c>.</param>
/// <param name="Meaning">What it means (English).</param>
/// <param name="MeaningZh">What it means (Chinese), where the catalogue gives it.</param>
public sealed record FactView(string Name, string Expected, string Meaning, string? MeaningZh);

/// <summary>A quote request.</summary>
/// <param name="Programme">The programme id.</param>
/// <param name="Date">The date to quote on (China date); today when omitted.</param>
/// <param name="Facts">The facts (JSON object).</param>
/// <param name="History">The award history (JSON), optional.</param>
public sealed record QuoteBody(string Programme, DateOnly? Date, JsonElement Facts, JsonElement? History);

/// <summary>A match request.</summary>
/// <param name="Facts">The profile facts (JSON object).</param>
/// <param name="Date">The date (China date); today when omitted.</param>
public sealed record MatchBody(JsonElement Facts, DateOnly? Date);

/// <summary>A quote with its trace.</summary>
/// <param name="Programme">The programme.</param>
/// <param name="Outcome">Eligible, NotEligible or Incomplete.</param>
/// <param name="Amount">The amount in yuan.</param>
/// <param name="FailedRules">Failed rules with citations.</param>
/// <param name="MissingFacts">Facts still needed.</param>
/// <param name="Steps">The computation steps with citations.</param>
/// <param name="Instalments">The instalments.</param>
public sealed record QuoteView(string Programme, string Outcome, decimal? Amount, IReadOnlyList<RuleView> FailedRules, IReadOnlyList<string> MissingFacts,
    IReadOnlyList<StepView> Steps, IReadOnlyList<Instalment> Instalments);

/// <summary>A failed rule.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Message">English.</param>
/// <param name="MessageZh">Chinese.</param>
/// <param name="Citation">Seed file and clause.</param>
public sealed record RuleView(string RuleId, string Message, string? MessageZh, string Citation);

/// <summary>A step of a computation.</summary>
/// <param name="TextZh">Chinese.</param>
/// <param name="TextEn">English.</param>
/// <param name="Citation">Seed file and clause.</param>
/// <param name="Amount">The amount after the step.</param>
public sealed record StepView(string TextZh, string TextEn, string Citation, decimal? Amount);

/// <summary>One programme a profile may qualify for.</summary>
/// <param name="Programme">The programme id.</param>
/// <param name="TitleZh">Its title.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="Estimate">The estimate.</param>
/// <param name="EstimateIsUpperBound">Whether the estimate is an upper bound.</param>
/// <param name="MissingFacts">Facts still needed.</param>
public sealed record MatchView(string Programme, string TitleZh, string Outcome, decimal? Estimate, bool EstimateIsUpperBound, IReadOnlyList<string> MissingFacts);

/// <summary>Public catalogue, quotes and matching.</summary>
public static class ProgrammesApi
{
    /// <summary>Maps <c>/api/programmes</c>, <c>/api/quotes</c>, <c>/api/match</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapProgrammesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Programmes").AllowAnonymous();
        group.MapGet("/programmes", List).WithName("ListProgrammes").WithSummary("The catalogue, or the programmes in force on ?on=yyyy-MM-dd.");
        group.MapGet("/programmes/{id}", Get).WithName("GetProgramme").WithSummary("One programme.");
        group.MapPost("/quotes", Quote).WithName("Quote").WithSummary("A quote with its trace (programme, date, facts, history).");
        group.MapPost("/match", Match).WithName("Match").WithSummary("The programmes a profile may qualify for.");
        return group;
    }

    /// <summary>Lists programmes.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="on">Only those in force on this date.</param>
    /// <returns>200.</returns>
    public static Ok<List<ProgrammeSummary>> List(ProgrammeOperations operations, DateOnly? on)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var catalogue = operations.Services.Catalogue;
        var programmes = on is { } date ? catalogue.InForce(date) : catalogue.All;
        return TypedResults.Ok(programmes.Select(p => Summary(catalogue, p)).ToList());
    }

    /// <summary>Reads a programme.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="id">The programme id.</param>
    /// <returns>200, or 404.</returns>
    public static Ok<ProgrammeDetails> Get(ProgrammeOperations operations, string id)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var catalogue = operations.Services.Catalogue;
        if (!catalogue.TryGet(id, out var p))
        {
            throw new ProgrammeNotFoundException("programme", id);
        }

        return TypedResults.Ok(new ProgrammeDetails(
            p.Id, p.TitleZh, p.NameEn, p.Bureau, catalogue.PeriodOf(p)?.ToString(), p.Citation.ToString(), p.Applicant.ToString(),
            p.Facts.Select(f => new FactView(f.Name, f.Describe(), f.Meaning, f.MeaningZh)).ToList(),
            p.AllRules.Select(r => new RuleView(r.Id, r.Message, r.MessageZh, r.Citation.ToString())).ToList()));
    }

    /// <summary>Quotes a programme.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The request.</param>
    /// <param name="user">The caller; a signed-in applicant's own standing records are applied.</param>
    /// <returns>200 with the quote; 404 unknown programme; 422 bad facts.</returns>
    public static Ok<QuoteView> Quote(ProgrammeOperations operations, QuoteBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body.Programme) || !operations.Services.Catalogue.TryGet(body.Programme, out _))
        {
            throw new ProgrammeNotFoundException("programme", body.Programme ?? string.Empty);
        }

        try
        {
            var facts = FactsOf(body.Facts);
            var history = body.History is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } h ? AwardHistory.FromJson(h.GetRawText(), operations.Services.Catalogue) : null;
            var quote = operations.Services.Quotes.Quote(new QuoteRequest(body.Programme, body.Date ?? Today(operations), facts, history, Standing: StandingOf(operations, user)));
            return TypedResults.Ok(View(body.Programme, quote));
        }
        catch (PolicyException e)
        {
            throw new ProgrammeValidationException("facts", e.Message);
        }
    }

    /// <summary>Matches a profile against the catalogue.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The request.</param>
    /// <param name="user">The caller; a signed-in applicant's own standing records are applied.</param>
    /// <returns>200.</returns>
    public static Ok<List<MatchView>> Match(ProgrammeOperations operations, MatchBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var results = new Matcher(operations.Services.Quotes).Match(FactsOf(body.Facts), body.Date ?? Today(operations), null, StandingOf(operations, user));
            return TypedResults.Ok(results.Select(r => new MatchView(r.Programme.Id, r.Programme.TitleZh, r.Outcome.ToString(), r.Estimate, r.EstimateIsUpperBound,
                r.MissingFacts.Select(f => f.Name).ToList())).ToList());
        }
        catch (PolicyException e)
        {
            throw new ProgrammeValidationException("facts", e.Message);
        }
    }

    /// <summary>Shapes a quote for the API.</summary>
    /// <param name="programme">The programme id.</param>
    /// <param name="quote">The quote.</param>
    /// <returns>The view.</returns>
    public static QuoteView View(string programme, Quote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return new QuoteView(programme, quote.Outcome.ToString(), quote.Amount,
            quote.FailedRules.Select(r => new RuleView(r.RuleId, r.Message, r.MessageZh, r.Citation.ToString())).ToList(),
            quote.MissingFacts.Select(f => f.Name).ToList(),
            quote.Steps.Select(s => new StepView(s.TextZh, s.TextEn, s.Citation.ToString(), s.Amount)).ToList(),
            quote.Instalments);
    }

    private static FactProfile FactsOf(JsonElement facts) =>
        facts.ValueKind == JsonValueKind.Object ? FactProfile.FromJson(facts.GetRawText()) : throw new ProgrammeValidationException("facts", "The facts must be a JSON object.");

    private static DateOnly Today(ProgrammeOperations operations) =>
        DistrictDates.DateOf(operations.Services.Time.GetUtcNow());

    private static ProgrammeSummary Summary(ProgrammeCatalogue catalogue, Programme p) =>
        new(p.Id, p.TitleZh, p.NameEn, p.Bureau, catalogue.PeriodOf(p)?.ToString());

    /// <summary>The standing records (003 四, general conditions) that block the signed-in applicant; none for anyone else.</summary>
    private static IReadOnlyList<StandingRecord>? StandingOf(ProgrammeOperations operations, ClaimsPrincipal user) =>
        user.IsInRole(WorkflowRoles.Applicant) && user.GetOrganisation() is { Length: > 0 } party
            ? operations.Services.Records.Read(c => SanctionsStore.ActiveStanding(c, null, party))
            : null;

}
