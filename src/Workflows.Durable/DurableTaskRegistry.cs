namespace Workflows.Durable;

/// <summary>
/// The orchestrators and activities a worker can run, registered by type or by name with a delegate.
/// Names are case-insensitive; registering a name twice throws.
/// </summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> activities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the registered orchestrators: registered name (case-insensitive) to factory. Hosts other than the embedded
    /// runtime (the Azure Functions app) dispatch their triggers through it.
    /// </summary>
    public IReadOnlyDictionary<string, Func<IServiceProvider, ITaskOrchestrator>> Orchestrators => this.orchestrators;

    /// <summary>Gets the registered activities: registered name (case-insensitive) to factory.</summary>
    public IReadOnlyDictionary<string, Func<IServiceProvider, ITaskActivity>> Activities => this.activities;

    internal bool IsClientOnly { get; private set; }

    internal DurableTaskRegistry MarkClientOnly()
    {
        this.IsClientOnly = true;
        return this;
    }

    /// <summary>Registers an orchestrator by name with a factory.</summary>
    /// <param name="name">The name.</param>
    /// <param name="factory">Creates an orchestrator instance for each execution.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator(TaskName name, Func<ITaskOrchestrator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return this.AddOrchestrator(name, _ => factory());
    }

    /// <summary>Registers an orchestrator by name with a factory that receives the service provider.</summary>
    /// <param name="name">The name.</param>
    /// <param name="factory">Creates an orchestrator instance for each execution.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator(TaskName name, Func<IServiceProvider, ITaskOrchestrator> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!this.orchestrators.TryAdd(name.Name, factory))
        {
            throw new ArgumentException($"An orchestrator named '{name.Name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an orchestrator type under its class name; instances are created with constructor injection.</summary>
    /// <typeparam name="TOrchestrator">The orchestrator type.</typeparam>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator>()
        where TOrchestrator : class, ITaskOrchestrator
        => this.AddOrchestrator(typeof(TOrchestrator).Name, typeof(TOrchestrator));

    /// <summary>Registers an orchestrator type under a name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">The orchestrator type.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator(TaskName name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(ITaskOrchestrator).IsAssignableFrom(type))
        {
            throw new ArgumentException($"Type '{type.FullName}' does not implement {nameof(ITaskOrchestrator)}.", nameof(type));
        }

        return this.AddOrchestrator(name, sp => (ITaskOrchestrator)Core.TypeActivator.Create(sp, type));
    }

    /// <summary>Registers an orchestrator type under its class name.</summary>
    /// <param name="type">The orchestrator type.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return this.AddOrchestrator(type.Name, type);
    }

    /// <summary>Registers a singleton orchestrator instance under its class name (it must be stateless).</summary>
    /// <param name="orchestrator">The instance.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestrator(ITaskOrchestrator orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return this.AddOrchestrator(orchestrator.GetType().Name, _ => orchestrator);
    }

    /// <summary>Registers an orchestrator delegate by name.</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    /// <param name="name">The name.</param>
    /// <param name="orchestrator">The orchestrator code.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(TaskName name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        var instance = new Core.FuncOrchestrator<TInput, TOutput>(orchestrator);
        return this.AddOrchestrator(name, _ => instance);
    }

    /// <inheritdoc cref="AddOrchestratorFunc{TInput, TOutput}(TaskName, Func{TaskOrchestrationContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(TaskName name, Func<TaskOrchestrationContext, TInput, TOutput> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return this.AddOrchestratorFunc<TInput, TOutput>(name, (ctx, input) => Task.FromResult(orchestrator(ctx, input)));
    }

    /// <inheritdoc cref="AddOrchestratorFunc{TInput, TOutput}(TaskName, Func{TaskOrchestrationContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddOrchestratorFunc<TOutput>(TaskName name, Func<TaskOrchestrationContext, Task<TOutput>> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return this.AddOrchestratorFunc<object?, TOutput>(name, (ctx, _) => orchestrator(ctx));
    }

    /// <inheritdoc cref="AddOrchestratorFunc{TInput, TOutput}(TaskName, Func{TaskOrchestrationContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddOrchestratorFunc<TInput>(TaskName name, Func<TaskOrchestrationContext, TInput, Task> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return this.AddOrchestratorFunc<TInput, object?>(name, async (ctx, input) =>
        {
            await orchestrator(ctx, input);
            return null;
        });
    }

    /// <inheritdoc cref="AddOrchestratorFunc{TInput, TOutput}(TaskName, Func{TaskOrchestrationContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddOrchestratorFunc(TaskName name, Func<TaskOrchestrationContext, Task> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return this.AddOrchestratorFunc<object?, object?>(name, async (ctx, _) =>
        {
            await orchestrator(ctx);
            return null;
        });
    }

    /// <summary>Registers an activity by name with a factory that receives the service provider.</summary>
    /// <param name="name">The name.</param>
    /// <param name="factory">Creates an activity instance per call.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivity(TaskName name, Func<IServiceProvider, ITaskActivity> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!this.activities.TryAdd(name.Name, factory))
        {
            throw new ArgumentException($"An activity named '{name.Name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an activity type under its class name; instances are created with constructor injection.</summary>
    /// <typeparam name="TActivity">The activity type.</typeparam>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivity<TActivity>()
        where TActivity : class, ITaskActivity
        => this.AddActivity(typeof(TActivity).Name, typeof(TActivity));

    /// <summary>Registers an activity type under a name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="type">The activity type.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivity(TaskName name, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(ITaskActivity).IsAssignableFrom(type))
        {
            throw new ArgumentException($"Type '{type.FullName}' does not implement {nameof(ITaskActivity)}.", nameof(type));
        }

        return this.AddActivity(name, sp => (ITaskActivity)Core.TypeActivator.Create(sp, type));
    }

    /// <summary>Registers an activity type under its class name.</summary>
    /// <param name="type">The activity type.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivity(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return this.AddActivity(type.Name, type);
    }

    /// <summary>Registers a singleton activity instance under its class name.</summary>
    /// <param name="activity">The instance.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivity(ITaskActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return this.AddActivity(activity.GetType().Name, _ => activity);
    }

    /// <summary>Registers an activity delegate by name.</summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TOutput">The output type.</typeparam>
    /// <param name="name">The name.</param>
    /// <param name="activity">The activity code.</param>
    /// <returns>This registry.</returns>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, Task<TOutput>> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var instance = new Core.FuncActivity<TInput, TOutput>(activity);
        return this.AddActivity(name, _ => instance);
    }

    /// <inheritdoc cref="AddActivityFunc{TInput, TOutput}(TaskName, Func{TaskActivityContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(TaskName name, Func<TaskActivityContext, TInput, TOutput> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return this.AddActivityFunc<TInput, TOutput>(name, (ctx, input) => Task.FromResult(activity(ctx, input)));
    }

    /// <inheritdoc cref="AddActivityFunc{TInput, TOutput}(TaskName, Func{TaskActivityContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddActivityFunc<TOutput>(TaskName name, Func<TaskActivityContext, Task<TOutput>> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return this.AddActivityFunc<object?, TOutput>(name, (ctx, _) => activity(ctx));
    }

    /// <inheritdoc cref="AddActivityFunc{TInput, TOutput}(TaskName, Func{TaskActivityContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddActivityFunc<TInput>(TaskName name, Func<TaskActivityContext, TInput, Task> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return this.AddActivityFunc<TInput, object?>(name, async (ctx, input) =>
        {
            await activity(ctx, input);
            return null;
        });
    }

    /// <inheritdoc cref="AddActivityFunc{TInput, TOutput}(TaskName, Func{TaskActivityContext, TInput, Task{TOutput}})"/>
    public DurableTaskRegistry AddActivityFunc<TInput>(TaskName name, Action<TaskActivityContext, TInput> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return this.AddActivityFunc<TInput, object?>(name, (ctx, input) =>
        {
            activity(ctx, input);
            return Task.FromResult<object?>(null);
        });
    }
}
