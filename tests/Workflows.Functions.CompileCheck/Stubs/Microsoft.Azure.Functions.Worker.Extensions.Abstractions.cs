// API-shape stub of the NuGet package Microsoft.Azure.Functions.Worker.Extensions.Abstractions (1.x, brought in by
// Microsoft.Azure.Functions.Worker 2.1.0): [Function] and the binding attribute bases that the trigger attributes derive
// from (the tests find triggers by TriggerBindingAttribute, as the worker's metadata generator does). Checked against
// Azure/azure-functions-dotnet-worker: extensions/Worker.Extensions.Abstractions/FunctionAttribute.cs,
// src/BindingAttribute.cs, src/InputBindingAttribute.cs, TriggerBindingAttribute.cs. Other members left out.

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method)]
    public class FunctionAttribute : Attribute
    {
        public FunctionAttribute(string name) => this.Name = name;

        public string Name { get; }
    }
}

namespace Microsoft.Azure.Functions.Worker.Extensions.Abstractions
{
    [AttributeUsage(AttributeTargets.Method)]
    public abstract class BindingAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public abstract class InputBindingAttribute : BindingAttribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public abstract class TriggerBindingAttribute : BindingAttribute
    {
    }
}
