using GitOps.Operator.Cli;

return await GitOpsCommandLine.Build().Parse(args).InvokeAsync();
