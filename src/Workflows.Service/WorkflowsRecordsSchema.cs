using Workflows.Programmes.Records;
using Workflows.Service.Http;
using Workflows.Service.Schedules;

namespace Workflows.Service;

/// <summary>
/// The service's pieces of the <c>records.db</c> schema, in the order the hosts apply them. <see cref="WorkflowsServiceCollectionExtensions.AddWorkflowsService"/>
/// registers exactly these, and tools that build <see cref="ProgrammeRecords"/> outside a host (the <c>workflows records</c>
/// commands) use this list, so every copy of the records has the same tables: replicated records refuse a log written
/// by tables of another shape.
/// </summary>
public static class WorkflowsRecordsSchema
{
    /// <summary>Gets every piece: the idempotency keys, then the schedule state.</summary>
    public static IReadOnlyList<RecordsSchema> All { get; } = [IdempotencySchema.Schema, ScheduleStateStore.Schema];
}
