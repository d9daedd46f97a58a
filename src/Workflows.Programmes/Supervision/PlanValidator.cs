using System.Globalization;

namespace Workflows.Programmes.Supervision;

/// <summary>
/// Checks an implementation plan against 002's template (附件 工作任务实施方案(表样)): exactly the template's
/// fields, keyed by their printed labels, none empty; 任务编号 and 牵头单位 must match the task; 启动时间 and
/// 完成时间 are dates (<c>yyyy-MM-dd</c>) with the start not after the completion.
/// </summary>
public static class PlanValidator
{
    /// <summary>Lists every problem of a plan; empty when it is acceptable.</summary>
    /// <param name="catalogue">The catalogue whose template applies.</param>
    /// <param name="task">The task the plan is for.</param>
    /// <param name="fields">The plan: label (as printed in the template) → value.</param>
    /// <returns>The problems, each naming its field.</returns>
    public static IReadOnlyList<string> Problems(SupervisionCatalogue catalogue, SupervisedTask task, IReadOnlyDictionary<string, string?>? fields)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(task);
        var problems = new List<string>();
        if (fields is null)
        {
            return ["the plan has no fields; the template (002 附件 工作任务实施方案(表样)) needs: " + string.Join("、", catalogue.PlanTemplate.Select(f => f.LabelZh))];
        }

        var known = catalogue.PlanTemplate.ToDictionary(f => f.LabelZh, StringComparer.Ordinal);
        foreach (string extra in fields.Keys.Where(k => !known.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            problems.Add($"field '{extra}' is not in the template (002 附件 工作任务实施方案(表样))");
        }

        DateOnly? start = null;
        DateOnly? completion = null;
        foreach (PlanTemplateField field in catalogue.PlanTemplate)
        {
            if (!fields.TryGetValue(field.LabelZh, out string? value))
            {
                problems.Add($"field '{field.LabelZh}' ({field.Key}) is missing");
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"field '{field.LabelZh}' ({field.Key}) is empty");
                continue;
            }

            value = value.Trim();
            switch (field.Kind)
            {
                case PlanFieldKind.TaskNumber:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number != task.Number)
                    {
                        problems.Add($"field '{field.LabelZh}' is '{value}' but the plan is for task {task.Number}");
                    }

                    break;
                case PlanFieldKind.LeadUnit:
                    if (!string.Equals(value, task.LeadUnit, StringComparison.Ordinal))
                    {
                        problems.Add($"field '{field.LabelZh}' is '{value}' but task {task.Number}'s lead unit is '{task.LeadUnit}'");
                    }

                    break;
                case PlanFieldKind.Date:
                    if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
                    {
                        problems.Add($"field '{field.LabelZh}' is '{value}', expected a date yyyy-MM-dd");
                    }
                    else if (field.Key == "startDate")
                    {
                        start = date;
                    }
                    else if (field.Key == "completionDate")
                    {
                        completion = date;
                    }

                    break;
                default:
                    break;
            }
        }

        if (start is { } s && completion is { } c && c < s)
        {
            problems.Add($"field '完成时间' ({c:yyyy-MM-dd}) is before '启动时间' ({s:yyyy-MM-dd})");
        }

        return problems;
    }

    /// <summary>Reads the plan's completion date (完成时间); call after <see cref="Problems"/> found none.</summary>
    /// <param name="fields">The plan.</param>
    /// <returns>The completion date.</returns>
    public static DateOnly CompletionDate(IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return DateOnly.ParseExact(fields["完成时间"]!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
