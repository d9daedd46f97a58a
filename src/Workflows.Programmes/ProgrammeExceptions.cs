namespace Workflows.Programmes;

/// <summary>
/// Base of the errors the facade throws for bad requests. Nothing was changed when one is thrown. The host maps
/// <see cref="ProgrammeNotFoundException"/> to 404, <see cref="ProgrammeConflictException"/> to 409 and
/// <see cref="ProgrammeValidationException"/> to 422.
/// </summary>
public abstract class ProgrammeException : Exception
{
    /// <summary>Initializes the error.</summary>
    /// <param name="message">What is wrong, naming the thing.</param>
    protected ProgrammeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the error with an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    protected ProgrammeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A call, application, notice, objection, party or expert does not exist (HTTP 404).</summary>
public sealed class ProgrammeNotFoundException : ProgrammeException
{
    /// <summary>Initializes the error.</summary>
    /// <param name="kind">What was looked for, e.g. <c>application</c>.</param>
    /// <param name="id">The id.</param>
    public ProgrammeNotFoundException(string kind, string id)
        : base($"No {kind} '{id}' exists.")
    {
        this.Kind = kind;
        this.Id = id;
    }

    /// <summary>Gets what was looked for.</summary>
    public string Kind { get; }

    /// <summary>Gets the id.</summary>
    public string Id { get; }
}

/// <summary>The action does not fit the current state, e.g. scoring a closed application or objecting after the notice ended (HTTP 409).</summary>
/// <param name="message">What conflicts, naming the state.</param>
public sealed class ProgrammeConflictException(string message) : ProgrammeException(message);

/// <summary>The request is well-formed but its content is invalid (HTTP 422). <see cref="Errors"/> names each field.</summary>
public sealed class ProgrammeValidationException : ProgrammeException
{
    /// <summary>Initializes the error for one field.</summary>
    /// <param name="field">The field, camelCase as in the API.</param>
    /// <param name="message">What is wrong with it.</param>
    public ProgrammeValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    /// <summary>Initializes the error for several fields.</summary>
    /// <param name="errors">Messages by field.</param>
    public ProgrammeValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        this.Errors = errors;
    }

    /// <summary>Gets the messages by field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
