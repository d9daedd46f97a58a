using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Workflows.Durable.Tests")]
