namespace GitOps.Operator.Render.Sops;

/// <summary>
/// A SOPS document that cannot be read, decrypted or verified. The message names paths and reasons,
/// never a value, a key or a MAC (a MAC is a hash of the plaintext).
/// </summary>
public sealed class SopsException(string message) : Exception(message);
