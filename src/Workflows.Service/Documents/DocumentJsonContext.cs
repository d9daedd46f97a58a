using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Service.Documents;

/// <summary>The stored metadata format of documents (camelCase JSON beside each file).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StoredDocument))]
internal sealed partial class DocumentJsonContext : JsonSerializerContext;
