using System.Security.Cryptography;

namespace Workflows.Programmes.Security;

/// <summary>
/// The symmetric key that signs and checks Workflows bearer tokens (HMAC-SHA256).
/// Kept in settings or in the data folder, never in the repository.
/// </summary>
public sealed class TokenSigningKey
{
    /// <summary>The shortest key accepted, in bytes (the HMAC-SHA256 block of security).</summary>
    public const int MinimumLength = 32;

    private readonly byte[] _bytes;

    private TokenSigningKey(byte[] bytes) => _bytes = bytes;

    /// <summary>Length of the key in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Creates a new random 32-byte key.</summary>
    /// <returns>A fresh key.</returns>
    public static TokenSigningKey Generate() => new(RandomNumberGenerator.GetBytes(MinimumLength));

    /// <summary>Reads a key written as base64, e.g. from settings.</summary>
    /// <param name="base64">The key in base64; at least <see cref="MinimumLength"/> bytes once decoded.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not base64 or the key is shorter than <see cref="MinimumLength"/> bytes.</exception>
    public static TokenSigningKey FromBase64(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("The token signing key is not valid base64.");
        }

        if (bytes.Length < MinimumLength)
        {
            throw new FormatException(
                $"The token signing key is {bytes.Length} bytes; it must be at least {MinimumLength} bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`).");
        }

        return new TokenSigningKey(bytes);
    }

    /// <summary>The key as base64, for writing it to the key file.</summary>
    /// <returns>The base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Computes the HMAC-SHA256 of <paramref name="data"/> with this key.</summary>
    /// <param name="data">The bytes to sign.</param>
    /// <returns>The 32-byte signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_bytes, data);
}
