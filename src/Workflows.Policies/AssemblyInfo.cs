using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Workflows.Policies.Tests")]
