using System.Reflection;

namespace Fabric.Shim.Contracts;

/// <summary>One transaction function of a contract: its name, kind, typed parameters and declared result type.</summary>
public sealed class TransactionFunction
{
    private TransactionFunction(string name, TransactionKind kind, MethodInfo method, IReadOnlyList<ParameterInfo> parameters, Type? resultType)
    {
        Name = name;
        Kind = kind;
        Method = method;
        Parameters = parameters;
        ResultType = resultType;
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
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return ResultType is null ? null : task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task);
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                if (returned is not null && IsGenericValueTask(returned.GetType()))
                {
                    var asTask = (Task)returned.GetType().GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                    await asTask.ConfigureAwait(false);
                    return asTask.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(asTask);
                }
                return returned;
        }
    }

    private static Type? UnwrapResultType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask)) return null;
        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || IsGenericValueTask(returnType)))
            return returnType.GetGenericArguments()[0];
        return returnType;
    }

    private static bool IsGenericValueTask(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>);
}
