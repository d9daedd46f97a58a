using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Workflows.Programmes.Tests")]
