using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>The conformance suite on <see cref="InMemoryTableStore"/>.</summary>
public sealed class InMemoryTableStoreConformanceTests : TableStoreConformanceTests
{
    protected override ITableStore Store { get; } = new InMemoryTableStore();
}
