namespace TrialRegistry.Data.Admins;

/// <summary>
/// What an admin password must be (OWASP ASVS 5.0 V6.2): at least 12 characters, not one of the passwords attackers
/// try first, not the user name, and not a run of one or two repeated characters. Length is not capped below 128.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;

    // Patterns and words at the top of breached-password lists; a password made only of these (and digits or
    // punctuation) is refused however long it is.
    private static readonly string[] CommonParts =
    [
        "password", "passw0rd", "p@ssword", "qwerty", "azerty", "letmein", "welcome", "admin", "administrator", "iloveyou",
        "monkey", "dragon", "football", "baseball", "sunshine", "princess", "master", "trustno1", "abc", "secret", "login",
        "changeme", "default", "trialregistry", "registry", "asdf", "zxcv", "qazwsx",
    ];

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when the password is refused.</summary>
    public static void Check(string password, string? userName = null)
    {
        if (password.Length < MinimumLength)
        {
            throw new ArgumentException($"An admin password needs at least {MinimumLength} characters.", nameof(password));
        }

        if (password.Length > MaximumLength)
        {
            throw new ArgumentException($"An admin password has at most {MaximumLength} characters.", nameof(password));
        }

        if (password.Distinct().Count() < 5)
        {
            throw new ArgumentException("That password repeats too few characters; choose one that is harder to guess.", nameof(password));
        }

        var lower = password.ToLowerInvariant();
        if (!string.IsNullOrEmpty(userName) && lower.Contains(userName.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw new ArgumentException("A password must not contain the user name.", nameof(password));
        }

        var rest = lower;
        foreach (var part in CommonParts.OrderByDescending(p => p.Length))
        {
            rest = rest.Replace(part, string.Empty, StringComparison.Ordinal);
        }

        if (IsSequenceOrFiller(rest))
        {
            throw new ArgumentException("That password is built from words and sequences attackers try first; choose another.", nameof(password));
        }
    }

    /// <summary>What is left is only digits in sequence, repeated characters or punctuation (e.g. "123456", "!!").</summary>
    private static bool IsSequenceOrFiller(string rest)
    {
        var letters = new string(rest.Where(char.IsLetterOrDigit).ToArray());
        if (letters.Length == 0)
        {
            return true;
        }

        if (letters.Distinct().Count() <= 2)
        {
            return true;
        }

        var ascending = true;
        var descending = true;
        for (var i = 1; i < letters.Length; i++)
        {
            ascending &= Next(letters[i - 1]) == letters[i];
            descending &= Next(letters[i]) == letters[i - 1];
        }

        return ascending || descending;
    }

    /// <summary>The character after <paramref name="c"/> in a keyboard-run sequence: digits wrap (…8, 9, 0, 1…).</summary>
    private static char Next(char c) => c == '9' ? '0' : (char)(c + 1);
}
