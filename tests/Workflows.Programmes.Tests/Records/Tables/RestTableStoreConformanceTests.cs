using Workflows.Programmes.Records.Tables;

// Not Workflows.Programmes.Tests.Records.Tables: a Tests.Records namespace would shadow Workflows.Programmes.Records for other tests (Records.Db).
namespace Workflows.Programmes.Tests.RecordsTables;

/// <summary>The conformance suite on Azurite's Table service, through <see cref="RestTableStore"/>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RestTableStoreConformanceTests(AzuriteFixture azurite) : TableStoreConformanceTests
{
    protected override ITableStore Store => azurite.Store;
}
