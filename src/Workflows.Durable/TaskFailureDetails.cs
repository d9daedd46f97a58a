using System.Diagnostics.CodeAnalysis;

namespace Workflows.Durable;

/// <summary>
/// Details of a failed activity, sub-orchestration or orchestration: the exception type name, message,
/// stack trace and inner failure, as recorded in the history.
/// </summary>
/// <param name="ErrorType">The full type name of the exception.</param>
/// <param name="ErrorMessage">The exception message.</param>
/// <param name="StackTrace">The stack trace, if any.</param>
/// <param name="InnerFailure">The inner failure, if any.</param>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace, TaskFailureDetails? InnerFailure)
{
    /// <summary>
    /// Returns <c>true</c> if the failure was caused by an exception of type <typeparamref name="T"/> or a type derived from it.
    /// </summary>
    /// <typeparam name="T">The exception type.</typeparam>
    /// <returns>Whether the recorded error type is <typeparamref name="T"/> or derives from it.</returns>
    public bool IsCausedBy<T>()
        where T : Exception => this.IsCausedBy(typeof(T));

    /// <summary>
    /// Returns <c>true</c> if the failure was caused by an exception of type <paramref name="exceptionType"/> or a derived type.
    /// The recorded type name is resolved against the loaded assemblies; an unknown name compares by full name only.
    /// </summary>
    /// <param name="exceptionType">The exception type.</param>
    /// <returns>Whether the failure matches.</returns>
    public bool IsCausedBy(Type exceptionType)
    {
        ArgumentNullException.ThrowIfNull(exceptionType);
        if (string.Equals(exceptionType.FullName, this.ErrorType, StringComparison.Ordinal))
        {
            return true;
        }

        Type? recorded = ResolveType(this.ErrorType);
        return recorded is not null && exceptionType.IsAssignableFrom(recorded);
    }

    /// <summary>Creates failure details from an exception, including its inner exceptions.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The failure details.</returns>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException tfe)
        {
            return new TaskFailureDetails(
                exception.GetType().FullName ?? exception.GetType().Name,
                exception.Message,
                exception.StackTrace,
                tfe.FailureDetails);
        }

        return new TaskFailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{this.ErrorType}: {this.ErrorMessage}";

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Best-effort lookup of exception types already loaded.")]
    private static Type? ResolveType(string typeName)
    {
        Type? t = Type.GetType(typeName, throwOnError: false);
        if (t is not null)
        {
            return t;
        }

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            t = assembly.GetType(typeName, throwOnError: false);
            if (t is not null)
            {
                return t;
            }
        }

        return null;
    }
}
