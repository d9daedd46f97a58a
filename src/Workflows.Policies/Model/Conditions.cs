namespace Workflows.Policies;

/// <summary>Comparison operators of a fact condition.</summary>
public enum ConditionOp
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal.</summary>
    Ne,

    /// <summary>Greater than.</summary>
    Gt,

    /// <summary>Greater than or equal.</summary>
    Ge,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Less than or equal.</summary>
    Le,

    /// <summary>One of the listed values.</summary>
    In,

    /// <summary>None of the listed values.</summary>
    NotIn,

    /// <summary>The boolean fact is true.</summary>
    IsTrue,

    /// <summary>The boolean fact is false.</summary>
    IsFalse,

    /// <summary>The fact is given.</summary>
    Present,
}

/// <summary>A condition on facts. Use the derived records.</summary>
public abstract record Condition
{
    /// <summary>Gets the names of the facts the condition reads.</summary>
    public abstract IEnumerable<string> FactNames { get; }
}

/// <summary>A test of one fact.</summary>
/// <param name="Fact">The fact.</param>
/// <param name="Op">The operator.</param>
/// <param name="Value">The literal compared with, as written in the catalogue, or null.</param>
/// <param name="ValueFact">Another fact compared with, or null.</param>
/// <param name="Values">The list for <see cref="ConditionOp.In"/> / <see cref="ConditionOp.NotIn"/>.</param>
public sealed record FactCondition(string Fact, ConditionOp Op, string? Value, string? ValueFact, IReadOnlyList<string> Values) : Condition
{
    /// <inheritdoc/>
    public override IEnumerable<string> FactNames => ValueFact is null ? [Fact] : [Fact, ValueFact];
}

/// <summary>Holds when any item holds.</summary>
/// <param name="Items">The items.</param>
public sealed record AnyOfCondition(IReadOnlyList<Condition> Items) : Condition
{
    /// <inheritdoc/>
    public override IEnumerable<string> FactNames => Items.SelectMany(i => i.FactNames);
}

/// <summary>Holds when every item holds.</summary>
/// <param name="Items">The items.</param>
public sealed record AllOfCondition(IReadOnlyList<Condition> Items) : Condition
{
    /// <inheritdoc/>
    public override IEnumerable<string> FactNames => Items.SelectMany(i => i.FactNames);
}

/// <summary>An eligibility rule: a condition with an id and a citation.</summary>
/// <param name="Id">Id, unique within the programme (general rules: within the document).</param>
/// <param name="Citation">The clause.</param>
/// <param name="Message">English text of the requirement.</param>
/// <param name="MessageZh">Chinese text, if any.</param>
/// <param name="Test">The condition that must hold.</param>
/// <param name="When">The rule applies only when this holds; null = always.</param>
public sealed record EligibilityRule(string Id, Citation Citation, string Message, string? MessageZh, Condition Test, Condition? When);
