using System.Reflection;

namespace Fabric.Shim.Contracts;

/// <summary>One transaction function of a contract: its name, kind, typed parameters and declared result type.</summary>
public sealed class TransactionFunction
{
    /// <summary>Awaits what the method returned and gives its value; made once, from the declared return type.</summary>
    private readonly Func<object, Task<object?>> _awaitResult;

    private TransactionFunction(string name, TransactionKind kind, MethodInfo method, IReadOnlyList<ParameterInfo> parameters, Type? resultType)
    {
        Name = name;
        Kind = kind;
        Method = method;
        Parameters = parameters;
        ResultType = resultType;
        _awaitResult = ResultAwaiter(method.ReturnType);
    }

    public string Name { get; }
    public TransactionKind Kind { get; }
    public MethodInfo Method { get; }

    /// <summary>The parameters callers supply, in order (the leading <see cref="Context"/> excluded).</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>The type of the value the function produces (Task and ValueTask unwrapped), or null when it produces none.</summary>
    public Type? ResultType { get; }

    /// <summary>Reads a public method marked with <see cref="TransactionAttribute"/>; its first parameter must be a <see cref="Context"/>.</summary>
    public static TransactionFunction From(MethodInfo method, TransactionAttribute attribute)
    {
        var parameters = method.GetParameters();
        if (parameters.Length == 0 || !parameters[0].ParameterType.IsAssignableFrom(typeof(Context)))
            throw new ArgumentException($"Transaction function {method.DeclaringType?.Name}.{method.Name} must take a Context as its first parameter.");
        return new TransactionFunction(attribute.Name ?? method.Name, attribute.Kind, method, parameters[1..], UnwrapResultType(method.ReturnType));
    }

    /// <summary>Converts the arguments, calls the function and awaits it; exceptions it throws come out unwrapped.</summary>
    public async Task<object?> InvokeAsync(Contract contract, Context context, IReadOnlyList<byte[]> arguments)
    {
        if (arguments.Count != Parameters.Count)
            throw new ChaincodeException(
                $"Function {Name} expects {Parameters.Count} argument(s) ({string.Join(", ", Parameters.Select(p => p.Name))}) but received {arguments.Count}.", 400);

        var values = new object?[Parameters.Count + 1];
        values[0] = context;
        for (var i = 0; i < Parameters.Count; i++)
            values[i + 1] = ArgumentConverter.Convert(arguments[i], Parameters[i].ParameterType, Parameters[i].Name ?? $"arg{i}");

        var returned = Method.Invoke(contract, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
        return returned is null ? null : await _awaitResult(returned).ConfigureAwait(false);
    }

    /// <summary>
    /// Reading <c>Task&lt;T&gt;.Result</c> by reflection on every call (as this once did) made the runtime emit a new
    /// invoke stub, and later finalize it, each time the task type's reflection cache was collected (about two a
    /// second during a bulk upload): the awaiter is a delegate made once.
    /// </summary>
    private static Func<object, Task<object?>> ResultAwaiter(Type returnType)
    {
        if (returnType == typeof(Task)) return async returned => { await ((Task)returned).ConfigureAwait(false); return null; };
        if (returnType == typeof(ValueTask)) return async returned => { await ((ValueTask)returned).ConfigureAwait(false); return null; };
        var helper = !returnType.IsGenericType ? null
            : returnType.GetGenericTypeDefinition() == typeof(Task<>) ? nameof(AwaitTaskAsync)
            : IsGenericValueTask(returnType) ? nameof(AwaitValueTaskAsync)
            : null;
        if (helper is null) return Task.FromResult<object?>;
        return typeof(TransactionFunction).GetMethod(helper, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(returnType.GetGenericArguments()[0])
            .CreateDelegate<Func<object, Task<object?>>>();
    }

    private static async Task<object?> AwaitTaskAsync<T>(object returned) => await ((Task<T>)returned).ConfigureAwait(false);

    private static async Task<object?> AwaitValueTaskAsync<T>(object returned) => await ((ValueTask<T>)returned).ConfigureAwait(false);

    private static Type? UnwrapResultType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask)) return null;
        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || IsGenericValueTask(returnType)))
            return returnType.GetGenericArguments()[0];
        return returnType;
    }

    private static bool IsGenericValueTask(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>);
}
