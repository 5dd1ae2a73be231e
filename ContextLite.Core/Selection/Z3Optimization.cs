using System.Globalization;
using System.Runtime.InteropServices;

namespace ContextLite.Selection;

/// <summary>
/// One Z3 context with one optimize object, created and destroyed together (one per solve).
/// </summary>
/// <remarks>
/// The context has no AST reference counting: terms live until the context is deleted, which is what a one-shot
/// model wants. The error handler is switched off so that a Z3 error is recorded rather than aborting the process,
/// and every step that can fail is followed by a check of the error code.
/// </remarks>
internal sealed class Z3Optimization : IDisposable
{
    private readonly IntPtr context;
    private readonly IntPtr optimize;
    private readonly IntPtr boolSort;
    private bool disposed;

    public Z3Optimization()
    {
        var config = Z3Native.Z3_mk_config();
        try
        {
            context = Z3Native.Z3_mk_context(config);
        }
        finally
        {
            Z3Native.Z3_del_config(config);
        }

        if (context == IntPtr.Zero)
        {
            throw new InvalidOperationException("Z3 could not create a context.");
        }

        Z3Native.Z3_set_error_handler(context, IntPtr.Zero);
        optimize = Z3Native.Z3_mk_optimize(context);
        Z3Native.Z3_optimize_inc_ref(context, optimize);
        boolSort = Z3Native.Z3_mk_bool_sort(context);
        ThrowIfFailed("creating the optimizer");
    }

    /// <summary>Sets the timeout (when given) and the MaxSAT engine (when given) of the optimizer.</summary>
    public void Configure(uint? timeoutMilliseconds, string? maxSatEngine)
    {
        var parameters = Z3Native.Z3_mk_params(context);
        Z3Native.Z3_params_inc_ref(context, parameters);
        try
        {
            if (timeoutMilliseconds is { } timeout)
            {
                Z3Native.Z3_params_set_uint(context, parameters, Z3Native.Z3_mk_string_symbol(context, "timeout"), timeout);
            }

            if (maxSatEngine is not null)
            {
                Z3Native.Z3_params_set_symbol(
                    context, parameters, Z3Native.Z3_mk_string_symbol(context, "maxsat_engine"), Z3Native.Z3_mk_string_symbol(context, maxSatEngine));
            }

            Z3Native.Z3_optimize_set_params(context, optimize, parameters);
        }
        finally
        {
            Z3Native.Z3_params_dec_ref(context, parameters);
        }

        ThrowIfFailed("setting parameters");
    }

    public IntPtr NewBool(int id) => Z3Native.Z3_mk_const(context, Z3Native.Z3_mk_int_symbol(context, id), boolSort);

    public IntPtr Not(IntPtr term) => Z3Native.Z3_mk_not(context, term);

    public IntPtr Or(params IntPtr[] terms) => Z3Native.Z3_mk_or(context, (uint)terms.Length, terms);

    /// <summary>The pseudo-Boolean constraint Σ coefficients_i·terms_i ≤ bound.</summary>
    public IntPtr AtMostWeighted(IntPtr[] terms, int[] coefficients, int bound) =>
        Z3Native.Z3_mk_pble(context, (uint)terms.Length, terms, coefficients, bound);

    public IntPtr AtMost(IntPtr[] terms, int bound) => Z3Native.Z3_mk_atmost(context, (uint)terms.Length, terms, (uint)bound);

    public void Assert(IntPtr constraint) => Z3Native.Z3_optimize_assert(context, optimize, constraint);

    /// <summary>Adds a soft constraint to the one MaxSAT group; returns the group's objective index.</summary>
    public uint AssertSoft(IntPtr constraint, double weight) =>
        Z3Native.Z3_optimize_assert_soft(context, optimize, constraint, Decimal(weight), Z3Native.Z3_mk_int_symbol(context, 0));

    /// <summary>Runs the optimizer: 1 = optimum found, 0 = stopped (timeout, interrupt), −1 = infeasible.</summary>
    public int Check()
    {
        ThrowIfFailed("building the model");
        var result = Z3Native.Z3_optimize_check(context, optimize, 0, null);
        ThrowIfFailed("solving");
        return result;
    }

    public string ReasonUnknown() => Marshal.PtrToStringUTF8(Z3Native.Z3_optimize_get_reason_unknown(context, optimize)) ?? "unknown";

    /// <summary>Reads the Boolean values of <paramref name="terms"/> from the current model; false when there is none.</summary>
    public bool TryReadModel(ReadOnlySpan<IntPtr> terms, Span<bool> values)
    {
        var model = Z3Native.Z3_optimize_get_model(context, optimize);
        if (model == IntPtr.Zero || Z3Native.Z3_get_error_code(context) != 0)
        {
            return false;
        }

        Z3Native.Z3_model_inc_ref(context, model);
        try
        {
            for (var i = 0; i < terms.Length; i++)
            {
                if (!Z3Native.Z3_model_eval(context, model, terms[i], completion: true, out var value))
                {
                    return false;
                }

                values[i] = Z3Native.Z3_get_bool_value(context, value) == Z3Native.LiftedTrue;
            }

            return Z3Native.Z3_get_error_code(context) == 0;
        }
        finally
        {
            Z3Native.Z3_model_dec_ref(context, model);
        }
    }

    /// <summary>
    /// The lower end of the (minimised) MaxSAT cost <paramref name="index"/>, when it is a plain number. The upper end
    /// of an arithmetic maximisation is not used: after a timeout, 4.8.12 reports values below the true optimum there.
    /// </summary>
    public double? CostLowerBound(uint index)
    {
        var term = Z3Native.Z3_optimize_get_lower(context, optimize, index);
        if (term == IntPtr.Zero || Z3Native.Z3_get_error_code(context) != 0 || !Z3Native.Z3_is_numeral_ast(context, term))
        {
            return null;
        }

        var value = Z3Native.Z3_get_numeral_double(context, term);
        return Z3Native.Z3_get_error_code(context) == 0 && double.IsFinite(value) ? value : null;
    }

    /// <summary>Stops a running <see cref="Check"/>; safe to call from another thread.</summary>
    public void Interrupt() => Z3Native.Z3_interrupt(context);

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            Z3Native.Z3_optimize_dec_ref(context, optimize);
            Z3Native.Z3_del_context(context);
        }
    }

    // Z3 reads rationals from plain decimals; the round-trip "R" format may use an exponent, which it does not parse.
    private static string Decimal(double value) => value.ToString("0.#################", CultureInfo.InvariantCulture);

    private void ThrowIfFailed(string step)
    {
        var code = Z3Native.Z3_get_error_code(context);
        if (code != 0)
        {
            var message = Marshal.PtrToStringUTF8(Z3Native.Z3_get_error_msg(context, code));
            throw new InvalidOperationException($"Z3 failed while {step}: {message} (error {code}).");
        }
    }
}
