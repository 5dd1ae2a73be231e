using System.Globalization;

namespace ContextLite.Selection;

/// <summary>Checks a <see cref="SelectionProblem"/> before a solver trusts it.</summary>
internal static class SelectionProblemValidation
{
    /// <summary>
    /// How far <c>redundancy[i,j]</c> and <c>redundancy[j,i]</c> may differ: similarities computed as
    /// dot(a, b) and dot(b, a) can disagree in the last bits, which is not a caller error.
    /// </summary>
    private const float SymmetryTolerance = 1e-5f;

    /// <summary>Throws an <see cref="ArgumentException"/> that names what is wrong with <paramref name="problem"/>.</summary>
    /// <remarks>
    /// Negative relevance is accepted (such a candidate never helps and is never chosen); negative redundancy
    /// is not, because every bound the solvers prove relies on penalties only ever lowering the objective.
    /// </remarks>
    public static void Validate(SelectionProblem problem, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(problem, parameterName);
        if (problem.Relevance is null)
        {
            throw new ArgumentException("The selection problem has no Relevance array.", parameterName);
        }

        if (problem.Tokens is null)
        {
            throw new ArgumentException("The selection problem has no Tokens array.", parameterName);
        }

        var n = problem.Relevance.Length;
        if (problem.Tokens.Length != n)
        {
            throw Fail(parameterName, $"Tokens has {problem.Tokens.Length} entries but Relevance has {n}; both need one entry per candidate.");
        }

        if (problem.MaxTokens < 0)
        {
            throw Fail(parameterName, $"MaxTokens is {problem.MaxTokens}; the token budget cannot be negative.");
        }

        if (problem.MaxItems < 0)
        {
            throw Fail(parameterName, $"MaxItems is {problem.MaxItems}; the item cap cannot be negative.");
        }

        if (!double.IsFinite(problem.Lambda) || problem.Lambda < 0)
        {
            throw Fail(parameterName, $"Lambda is {problem.Lambda}; the redundancy weight must be a finite number >= 0.");
        }

        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(problem.Relevance[i]))
            {
                throw Fail(parameterName, $"Relevance[{i}] is {problem.Relevance[i]}; relevance must be a finite number.");
            }

            if (problem.Tokens[i] < 1)
            {
                throw Fail(parameterName, $"Tokens[{i}] is {problem.Tokens[i]}; every candidate costs at least 1 token.");
            }
        }

        if (problem.Redundancy is { } redundancy)
        {
            ValidateRedundancy(redundancy, n, parameterName);
        }
    }

    private static void ValidateRedundancy(float[] redundancy, int n, string parameterName)
    {
        if (redundancy.Length != (long)n * n)
        {
            throw Fail(parameterName, $"Redundancy has {redundancy.Length} entries; an n×n row-major matrix for {n} candidates needs {(long)n * n}.");
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var upper = redundancy[(i * n) + j];
                var lower = redundancy[(j * n) + i];
                if (!float.IsFinite(upper) || upper < 0 || !float.IsFinite(lower) || lower < 0)
                {
                    throw Fail(parameterName, $"Redundancy[{i},{j}] is {upper} and Redundancy[{j},{i}] is {lower}; redundancy must be a finite number >= 0.");
                }

                if (Math.Abs(upper - lower) > SymmetryTolerance * Math.Max(1f, Math.Abs(upper)))
                {
                    throw Fail(parameterName, $"Redundancy[{i},{j}] is {upper} but Redundancy[{j},{i}] is {lower}; the matrix must be symmetric.");
                }
            }
        }
    }

    private static ArgumentException Fail(string parameterName, FormattableString message) =>
        new(message.ToString(CultureInfo.InvariantCulture), parameterName);
}
