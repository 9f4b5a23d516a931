namespace GitOps.Sandbox.Api;

public enum WriteOperation { Create, Update, Patch, Apply }

/// <summary>What a write request asked for, from its URL and query.</summary>
public sealed record WriteOptions(
    WriteOperation Operation,
    string Manager,
    string? Subresource,
    bool DryRun,
    bool Force = false,
    string FieldValidation = "Ignore");
