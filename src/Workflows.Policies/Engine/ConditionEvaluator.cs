using System.Globalization;

namespace Workflows.Policies;

/// <summary>Evaluates conditions three-valued: true, false, or null when a fact is missing.</summary>
internal static class ConditionEvaluator
{
    public static bool? Evaluate(Condition condition, FormulaContext context) =>
        Evaluate(condition, name => context.Has(name) ? context.Get(name) : null);

    public static bool? Evaluate(Condition condition, Func<string, FactValue?> get)
    {
        switch (condition)
        {
            case AnyOfCondition any:
                {
                    var unknown = false;
                    foreach (var item in any.Items)
                    {
                        var r = Evaluate(item, get);
                        if (r == true)
                        {
                            return true;
                        }

                        unknown |= r is null;
                    }

                    return unknown ? null : false;
                }

            case AllOfCondition all:
                {
                    var unknown = false;
                    foreach (var item in all.Items)
                    {
                        var r = Evaluate(item, get);
                        if (r == false)
                        {
                            return false;
                        }

                        unknown |= r is null;
                    }

                    return unknown ? null : true;
                }

            case FactCondition f:
                return EvaluateFact(f, get);

            default:
                throw new InvalidOperationException($"unknown condition {condition.GetType().Name}");
        }
    }

    private static bool? EvaluateFact(FactCondition f, Func<string, FactValue?> get)
    {
        var value = get(f.Fact);
        if (f.Op == ConditionOp.Present)
        {
            return value is not null;
        }

        if (value is null)
        {
            return null;
        }

        switch (f.Op)
        {
            case ConditionOp.IsTrue:
                return value is BoolFact { Value: true };
            case ConditionOp.IsFalse:
                return value is BoolFact { Value: false };
            case ConditionOp.In:
                return f.Values.Contains(Text(value), StringComparer.Ordinal);
            case ConditionOp.NotIn:
                return !f.Values.Contains(Text(value), StringComparer.Ordinal);
        }

        FactValue other;
        if (f.ValueFact is not null)
        {
            var o = get(f.ValueFact);
            if (o is null)
            {
                return null;
            }

            other = o;
        }
        else
        {
            other = Literal(value, f.Value!);
        }

        var cmp = Compare(value, other, f.Fact);
        return f.Op switch
        {
            ConditionOp.Eq => cmp == 0,
            ConditionOp.Ne => cmp != 0,
            ConditionOp.Gt => cmp > 0,
            ConditionOp.Ge => cmp >= 0,
            ConditionOp.Lt => cmp < 0,
            ConditionOp.Le => cmp <= 0,
            _ => throw new InvalidOperationException($"operator {f.Op} not handled"),
        };
    }

    private static string Text(FactValue v) => v switch
    {
        TextFact t => t.Value,
        _ => v.ToString()!,
    };

    /// <summary>Converts a catalogue literal to the type of the fact value it is compared with.</summary>
    public static FactValue Literal(FactValue like, string literal) => like switch
    {
        DecimalFact or IntegerFact => new DecimalFact(decimal.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture)),
        BoolFact => new BoolFact(bool.Parse(literal)),
        DateFact => new DateFact(DateOnly.ParseExact(literal, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        _ => new TextFact(literal),
    };

    private static int Compare(FactValue a, FactValue b, string fact) => (a, b) switch
    {
        (DecimalFact or IntegerFact, DecimalFact or IntegerFact) => Number(a).CompareTo(Number(b)),
        (DateFact x, DateFact y) => x.Value.CompareTo(y.Value),
        (BoolFact x, BoolFact y) => x.Value.CompareTo(y.Value),
        (TextFact x, TextFact y) => string.CompareOrdinal(x.Value, y.Value),
        _ => throw new FactException(fact, $"cannot compare {a} with {b}"),
    };

    private static decimal Number(FactValue v) => v switch
    {
        DecimalFact d => d.Value,
        IntegerFact i => i.Value,
        _ => throw new InvalidOperationException("not a number"),
    };
}
