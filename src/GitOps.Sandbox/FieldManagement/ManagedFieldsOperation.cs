namespace GitOps.Sandbox.FieldManagement;

public enum ManagedFieldsOperation { Apply, Update }
