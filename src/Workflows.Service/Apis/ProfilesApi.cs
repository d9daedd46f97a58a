using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Workflows.Service.Auth;
using Workflows.Programmes;
using Workflows.Programmes.Operations;
using Workflows.Programmes.Parties;

namespace Workflows.Service.Apis;

/// <summary>An applicant's profile (一企一档).</summary>
/// <param name="Name">The enterprise's or person's name.</param>
/// <param name="Email">The contact email.</param>
/// <param name="Kind">Enterprise or person.</param>
/// <param name="Facts">The profile facts (JSON object), reused by every application and by matching.</param>
public sealed record ProfileBody(string Name, string Email, PartyKind? Kind, JsonElement? Facts);

/// <summary>A profile as stored.</summary>
/// <param name="Party">The party.</param>
/// <param name="Facts">The facts, or null.</param>
public sealed record ProfileView(Party Party, JsonElement? Facts);

/// <summary>A subscription request.</summary>
/// <param name="ProgrammeId">The programme whose new calls are mailed.</param>
public sealed record SubscriptionBody(string ProgrammeId);

/// <summary>The applicant's own profile and subscriptions.</summary>
public static class ProfilesApi
{
    /// <summary>Maps <c>/api/profile</c>.</summary>
    /// <param name="app">The route builder.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/profile").WithTags("Profiles").RequireAuthorization(WorkflowPolicies.Applicant);
        group.MapPut("/", Put).WithName("PutProfile").WithSummary("Creates or replaces the caller's profile (一企一档).");
        group.MapGet("/", Get).WithName("GetProfile").WithSummary("The caller's profile.");
        group.MapPost("/subscriptions", Subscribe).WithName("Subscribe").WithSummary("Mails the caller when a call of the programme opens.");
        return group;
    }

    /// <summary>Stores the profile.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The profile.</param>
    /// <param name="user">The applicant.</param>
    /// <returns>200 with the profile; 422 for a bad name, email or facts.</returns>
    public static Ok<ProfileView> Put(ProgrammeOperations operations, ProfileBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        var partyId = DomainAccess.PartyOf(user);
        var actor = DomainAccess.ActorOf(user);
        if (body.Facts is { } f && f.ValueKind != JsonValueKind.Object && f.ValueKind != JsonValueKind.Null)
        {
            throw new ProgrammeValidationException("facts", "The facts must be a JSON object.");
        }

        operations.RegisterParty(new Party(partyId, body.Name, body.Email, user.GetOrganisation(), body.Kind ?? PartyKind.Enterprise), actor);
        if (body.Facts is { ValueKind: JsonValueKind.Object } facts)
        {
            operations.SetProfileFacts(partyId, facts.GetRawText(), actor);
        }

        return TypedResults.Ok(Read(operations, partyId));
    }

    /// <summary>Reads the profile.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="user">The applicant.</param>
    /// <returns>200, or 404 before one is stored.</returns>
    public static Ok<ProfileView> Get(ProgrammeOperations operations, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return TypedResults.Ok(Read(operations, DomainAccess.PartyOf(user)));
    }

    /// <summary>Subscribes to a programme.</summary>
    /// <param name="operations">The facade.</param>
    /// <param name="body">The programme.</param>
    /// <param name="user">The applicant.</param>
    /// <returns>204; 404 without a profile; 422 unknown programme.</returns>
    public static NoContent Subscribe(ProgrammeOperations operations, SubscriptionBody body, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(body);
        operations.Subscribe(DomainAccess.PartyOf(user), body.ProgrammeId, DomainAccess.ActorOf(user));
        return TypedResults.NoContent();
    }

    private static ProfileView Read(ProgrammeOperations operations, string partyId) => operations.Services.Records.Read(c =>
    {
        var party = PartyDirectory.Get(c, partyId) ?? throw new ProgrammeNotFoundException("profile", partyId);
        var facts = PartyDirectory.GetFacts(c, partyId);
        return new ProfileView(party, facts is null ? null : JsonDocument.Parse(facts).RootElement.Clone());
    });
}
