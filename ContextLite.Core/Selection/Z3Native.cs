using System.Runtime.InteropServices;

namespace ContextLite.Selection;

/// <summary>
/// The part of the Z3 C API (<c>z3_api.h</c>, <c>z3_optimization.h</c>, 4.8.12) that <see cref="Z3Selector"/> uses,
/// bound to the system <c>libz3.so.4</c>.
/// </summary>
/// <remarks>
/// Hand-written because the <c>Microsoft.Z3</c> package ships no Linux native library and its wrapper needs entry points
/// Debian's 4.8.12 lacks (PLATFORM.md). Handles are opaque pointers; <c>bool</c> is C99 <c>bool</c> (one byte) since
/// Z3 4.8.0; strings are UTF-8. Contexts are created without AST reference counting, so only the optimize, params and
/// model objects need <c>inc_ref</c>/<c>dec_ref</c>.
/// </remarks>
internal static class Z3Native
{
    public const string Library = "libz3.so.4";

    public const int LiftedTrue = 1;
    public const int LiftedUndefined = 0;

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_config();

    [DllImport(Library)]
    public static extern void Z3_del_config(IntPtr config);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_context(IntPtr config);

    [DllImport(Library)]
    public static extern void Z3_del_context(IntPtr context);

    [DllImport(Library)]
    public static extern void Z3_set_error_handler(IntPtr context, IntPtr handler);

    [DllImport(Library)]
    public static extern int Z3_get_error_code(IntPtr context);

    [DllImport(Library)]
    public static extern IntPtr Z3_get_error_msg(IntPtr context, int code);

    [DllImport(Library)]
    public static extern void Z3_interrupt(IntPtr context);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_params(IntPtr context);

    [DllImport(Library)]
    public static extern void Z3_params_inc_ref(IntPtr context, IntPtr parameters);

    [DllImport(Library)]
    public static extern void Z3_params_dec_ref(IntPtr context, IntPtr parameters);

    [DllImport(Library)]
    public static extern void Z3_params_set_uint(IntPtr context, IntPtr parameters, IntPtr key, uint value);

    [DllImport(Library)]
    public static extern void Z3_params_set_symbol(IntPtr context, IntPtr parameters, IntPtr key, IntPtr value);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_int_symbol(IntPtr context, int value);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_string_symbol(IntPtr context, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_bool_sort(IntPtr context);


    [DllImport(Library)]
    public static extern IntPtr Z3_mk_const(IntPtr context, IntPtr symbol, IntPtr sort);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_not(IntPtr context, IntPtr argument);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_or(IntPtr context, uint count, IntPtr[] arguments);




    [DllImport(Library)]
    public static extern IntPtr Z3_mk_pble(IntPtr context, uint count, IntPtr[] arguments, int[] coefficients, int bound);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_atmost(IntPtr context, uint count, IntPtr[] arguments, uint bound);

    [DllImport(Library)]
    public static extern IntPtr Z3_mk_optimize(IntPtr context);

    [DllImport(Library)]
    public static extern void Z3_optimize_inc_ref(IntPtr context, IntPtr optimize);

    [DllImport(Library)]
    public static extern void Z3_optimize_dec_ref(IntPtr context, IntPtr optimize);

    [DllImport(Library)]
    public static extern void Z3_optimize_set_params(IntPtr context, IntPtr optimize, IntPtr parameters);

    [DllImport(Library)]
    public static extern void Z3_optimize_assert(IntPtr context, IntPtr optimize, IntPtr constraint);

    [DllImport(Library)]
    public static extern uint Z3_optimize_assert_soft(
        IntPtr context, IntPtr optimize, IntPtr constraint, [MarshalAs(UnmanagedType.LPUTF8Str)] string weight, IntPtr group);


    [DllImport(Library)]
    public static extern int Z3_optimize_check(IntPtr context, IntPtr optimize, uint assumptionCount, IntPtr[]? assumptions);

    [DllImport(Library)]
    public static extern IntPtr Z3_optimize_get_reason_unknown(IntPtr context, IntPtr optimize);

    [DllImport(Library)]
    public static extern IntPtr Z3_optimize_get_model(IntPtr context, IntPtr optimize);

    [DllImport(Library)]
    public static extern IntPtr Z3_optimize_get_lower(IntPtr context, IntPtr optimize, uint index);


    [DllImport(Library)]
    public static extern void Z3_model_inc_ref(IntPtr context, IntPtr model);

    [DllImport(Library)]
    public static extern void Z3_model_dec_ref(IntPtr context, IntPtr model);

    [DllImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static extern bool Z3_model_eval(IntPtr context, IntPtr model, IntPtr term, [MarshalAs(UnmanagedType.U1)] bool completion, out IntPtr value);

    [DllImport(Library)]
    public static extern int Z3_get_bool_value(IntPtr context, IntPtr term);

    [DllImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static extern bool Z3_is_numeral_ast(IntPtr context, IntPtr term);

    [DllImport(Library)]
    public static extern double Z3_get_numeral_double(IntPtr context, IntPtr term);

}
