namespace GitOps.Sandbox.Api.Tables;

/// <summary>One meta.k8s.io/v1 TableColumnDefinition (priority 1 columns are shown by `kubectl get -o wide` only).</summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "");

/// <summary>
/// A kind's `kubectl get` printer as kube-apiserver 1.26 has it (pkg/printers/internalversion/printers.go):
/// the column definitions and a function giving one row's cells. The server always prints the wide
/// cells; kubectl drops priority 1 columns unless asked for `-o wide`.
/// </summary>
public sealed record BuiltinPrinter(IReadOnlyList<TableColumn> Columns, Func<PrintContext, object?[]> Row);

/// <summary>The object being printed and the server's current time (for ages and durations).</summary>
public sealed record PrintContext(System.Text.Json.Nodes.JsonObject Obj, DateTimeOffset Now);
