using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Sandbox.Decoding;
using GitOps.Sandbox.Diagnostics;
using GitOps.Sandbox.Store;
using GitOps.Sandbox.Watch;
using Microsoft.AspNetCore.Http;

namespace GitOps.Sandbox.Api;

/// <summary>
/// The HTTP face of the sandbox: routes each request to discovery, OpenAPI or a resource verb,
/// counts it, injects faults when asked to, and turns failures into Status objects.
/// </summary>
public sealed class SandboxApi(
    ResourceRegistry registry,
    ObjectStore store,
    ObjectWriter writer,
    FieldValidator validator,
    ObjectDeleter deleter,
    Discovery discovery,
    OpenApiDocuments openApi,
    TableConverter tables,
    WatchStreamer watches,
    RequestCounters counters,
    FaultInjector faults,
    SandboxOptions options,
    Auth.AccessControl access)
{
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var (verb, resource) = Classify(context.Request);
        if (context.Request.Headers["Impersonate-User"].ToString() is { Length: > 0 } user) counters.RecordImpersonation(user);
        Auth.RequestAttributes? admitted = null;
        try
        {
            var requester = admitted = access.Admit(context.Request);
            if (faults.Pick(verb, resource) is { } fault)
            {
                await InjectAsync(context, fault);
                return;
            }
            await RouteAsync(context, verb, requester);
        }
        catch (StatusException e)
        {
            if (!context.Response.HasStarted) await WriteStatusAsync(context, e);
        }
        catch (Auth.PlainTextFailure e)
        {
            if (!context.Response.HasStarted)
            {
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                await WriteTextAsync(context, e.Code, e.Message + "\n");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!context.Response.HasStarted)
                await WriteStatusAsync(context, new StatusException(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
        finally
        {
            counters.Record(verb, resource, context.Response.StatusCode);
            if (admitted is { IsResourceRequest: true } a && AuditedWrite.IsWrite(a.Verb))
                counters.RecordWrite(new AuditedWrite(a.User.Name, a.User.Groups, a.User.Uid, a.Verb,
                    a.Subresource.Length > 0 ? $"{a.Resource}/{a.Subresource}" : a.Resource, a.Namespace, a.Name, context.Response.StatusCode));
        }
    }

    private async Task RouteAsync(HttpContext context, string verb, Auth.RequestAttributes requester)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        switch (path.TrimEnd('/'))
        {
            case "/version": await WriteJsonAsync(context, 200, Discovery.Version()); return;
            case "/api": await WriteJsonAsync(context, 200, discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1")); return;
            case "/apis": await WriteJsonAsync(context, 200, discovery.Groups()); return;
            case "/healthz" or "/readyz" or "/livez": await WriteTextAsync(context, 200, "ok"); return;
            case "/metrics": await WriteTextAsync(context, 200, counters.ToPrometheusText(), "text/plain; version=0.0.4"); return;
            case "/openapi/v3": await WriteJsonAsync(context, 200, openApi.Index()); return;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var doc = openApi.Document(path["/openapi/v3/".Length..]) ?? throw StatusException.NoSuchPath();
            await WriteJsonAsync(context, 200, doc);
            return;
        }
        var segments = path.Trim('/').Split('/');
        if (segments is ["api", var coreVersion] && request.Method == "GET")
        {
            await WriteJsonAsync(context, 200, discovery.Resources("", coreVersion) ?? throw StatusException.NoSuchPath());
            return;
        }
        if (segments is ["apis", var g] && request.Method == "GET")
        {
            await WriteJsonAsync(context, 200, discovery.Group(g) ?? throw StatusException.NoSuchPath());
            return;
        }
        if (segments is ["apis", var group, var version] && request.Method == "GET")
        {
            await WriteJsonAsync(context, 200, discovery.Resources(group, version) ?? throw StatusException.NoSuchPath());
            return;
        }
        var apiPath = ApiPath.Parse(path) ?? throw StatusException.NoSuchPath();
        var type = registry.Find(apiPath.Group, apiPath.Version, apiPath.Resource) ?? throw StatusException.NoSuchPath();
        if (type.Namespaced == false && apiPath.Namespace is not null) throw StatusException.NoSuchPath();
        if (Auth.Reviews.Handles(type))
        {
            await ReviewAsync(context, verb, type, apiPath, requester);
            return;
        }
        await ResourceAsync(context, verb, type, apiPath, requester);
    }

    /// <summary>A create of a review kind: answered by the authenticator or authorizer, never stored.</summary>
    private async Task ReviewAsync(HttpContext context, string verb, ResourceType type, ApiPath path, Auth.RequestAttributes requester)
    {
        if (verb != "create" || path.Name is not null || (type.Namespaced && path.Namespace is null)) throw StatusException.MethodNotAllowed(verb, type);
        // kubectl sends its reviews as protobuf.
        if (Protobuf.ProtobufBody.IsProtobuf(context.Request.ContentType)) await Protobuf.ProtobufBody.RewriteAsJsonAsync(context, verb, type, MaxBodyBytes);
        var requestType = context.Request.ContentType ?? "";
        if (requestType.StartsWith("application/cbor", StringComparison.Ordinal))
            throw StatusException.UnsupportedMediaType(requestType, ["application/json", "application/yaml"]);
        var body = BodyParser.ParseObject(type, await ReadBodyAsync(context), requestType);
        var ns = type.Namespaced ? path.Namespace : null;
        if (ns is not null && ObjectMeta.Namespace(body) is { Length: > 0 } bodyNs && bodyNs != ns)
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        var manager = ManagerOf(context.Request);
        await WriteJsonAsync(context, 201, access.Reviews.Create(type, ns, body, requester.User,
            (empty, requested) => writer.CreateManagedFields(type, empty, requested, manager)));
    }

    private async Task ResourceAsync(HttpContext context, string verb, ResourceType type, ApiPath path, Auth.RequestAttributes requester)
    {
        // Protobuf bodies of the kinds clients send that way become JSON bodies; other protobuf and CBOR get 415.
        var requestType = context.Request.ContentType ?? "";
        if (Protobuf.ProtobufBody.IsProtobuf(requestType)) await Protobuf.ProtobufBody.RewriteAsJsonAsync(context, verb, type, MaxBodyBytes);
        else if (requestType.StartsWith("application/cbor", StringComparison.Ordinal))
            throw StatusException.UnsupportedMediaType(requestType, ["application/json", "application/yaml"]);
        var q = context.Request.Query;
        string? Query(string name) => q.TryGetValue(name, out var v) ? v.ToString() : null;
        var ns = type.Namespaced ? path.Namespace : null;
        var sub = path.Subresource;
        if (sub is not null && !(sub == "status" && type.HasStatus) && !(sub == "scale" && type.HasScale) && !(sub == "finalize" && type is { Group: "", Plural: "namespaces" }))
            throw StatusException.NoSuchPath();
        var dryRun = Query("dryRun") switch
        {
            null or "" => false,
            "All" => true,
            var other => throw StatusException.BadRequest($"Invalid dry run value: {other}"),
        };
        var manager = ManagerOf(context.Request);
        var warnings = new WarningRecorder();
        warnings.AttachTo(context.Response);
        var table = WantsTable(context.Request);

        switch (verb)
        {
            case "get":
            {
                var obj = store.Get(new ObjectKey(type.GroupResource, ns ?? "", path.Name!)) ?? throw StatusException.NotFound(type, path.Name!);
                obj = Served(type, obj);
                if (sub == "scale") obj = Scale.FromObject(type, obj, ScalePathsOf(type));
                await WriteJsonAsync(context, 200, table ? tables.Convert(type, [obj], ObjectMeta.Str(obj, "resourceVersion"), Query("includeObject") == "Object") : obj);
                return;
            }
            case "list":
                await ListAsync(context, type, ns, Query, table);
                return;
            case "watch":
            {
                var timeout = long.TryParse(Query("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
                    ? TimeSpan.FromSeconds(t) : options.DefaultWatchTimeout;
                var labels = LabelSelector.Parse(Query("labelSelector"));
                var fields = FieldSelector.Parse(path.Name is null ? Query("fieldSelector") : $"metadata.name={path.Name}", FieldLabels.For(type));
                // Watch events carry the store's frozen objects: serve copies.
                Func<JsonObject, JsonObject> present = table
                    ? o => tables.Convert(type, [Served(type, o.DeepClone().AsObject())], null, Query("includeObject") == "Object")
                    : o => Served(type, o.DeepClone().AsObject());
                var request = new WatchRequest(type, ns, labels, fields, Query("resourceVersion"), Query("allowWatchBookmarks") is "true" or "1", Query("sendInitialEvents") is "true" or "1", timeout, present);
                await watches.StreamAsync(context, request, context.RequestAborted);
                return;
            }
            case "create":
            {
                if (path.Name is not null) throw StatusException.MethodNotAllowed(verb, type);
                var text = await ReadBodyAsync(context);
                var validation = FieldValidationParameter.Parse(Query("fieldValidation"), "CreateOptions");
                var body = validator.DecodeBody(type, text, context.Request.ContentType, validation, warnings);
                var created = writer.Create(type, ns, body, new WriteOptions(WriteOperation.Create, manager, null, dryRun) { Requester = requester });
                await WriteJsonAsync(context, 201, Served(type, created));
                return;
            }
            case "update":
            {
                var text = await ReadBodyAsync(context);
                var validation = FieldValidationParameter.Parse(Query("fieldValidation"), "UpdateOptions");
                if (sub == "scale")
                {
                    var scale = JsonNodeOrBadRequest(text);
                    await WriteJsonAsync(context, 200, writer.UpdateScale(type, ns, path.Name!, ScalePathsOf(type), _ => scale,
                        new WriteOptions(WriteOperation.Update, manager, sub, dryRun)));
                    return;
                }
                var body = validator.DecodeBody(type, text, context.Request.ContentType, validation, warnings);
                var updated = writer.Update(type, ns, path.Name!, body, new WriteOptions(WriteOperation.Update, manager, sub, dryRun) { Requester = requester });
                await WriteJsonAsync(context, 200, Served(type, updated));
                return;
            }
            case "patch" or "apply":
            {
                var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                var isApply = contentType == "application/apply-patch+yaml";
                if (!isApply && !ObjectWriter.PatchTypes(type).Contains(contentType))
                    throw StatusException.UnsupportedMediaType(contentType, ObjectWriter.PatchTypes(type));
                // ValidatePatchOptions: apply needs a field manager; fieldValidation must be a known value.
                IReadOnlyList<Admission.StatusCause> applyCauses = isApply && Query("fieldManager") is not { Length: > 0 }
                    ? [Admission.FieldErrors.Required("fieldManager", "is required for apply patch")] : [];
                var validation = FieldValidationParameter.Parse(Query("fieldValidation"), "PatchOptions", applyCauses);
                if (sub == "scale")
                {
                    string[] scalePatchTypes = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];
                    if (!scalePatchTypes.Contains(contentType)) throw StatusException.UnsupportedMediaType(contentType, scalePatchTypes);
                    var patch = await ReadBodyAsync(context);
                    await WriteJsonAsync(context, 200, writer.UpdateScale(type, ns, path.Name!, ScalePathsOf(type), s => ObjectWriter.PatchScale(s, contentType, patch),
                        new WriteOptions(WriteOperation.Patch, manager, sub, dryRun)));
                    return;
                }
                var force = Query("force") is "true" or "1";
                if (force && !isApply)
                    throw StatusException.BadRequest("force is only allowed for apply requests");
                var body = await ReadBodyAsync(context);
                var operation = isApply ? WriteOperation.Apply : WriteOperation.Patch;
                var (result, created) = writer.Patch(type, ns, path.Name!, contentType, body, new WriteOptions(operation, manager, sub, dryRun, force, validation, warnings) { Requester = requester });
                await WriteJsonAsync(context, created ? 201 : 200, sub == "scale" ? Scale.FromObject(type, result) : Served(type, result));
                return;
            }
            case "delete":
            {
                var text = await ReadBodyAsync(context);
                JsonObject? body = null;
                if (text.Trim().Length > 0)
                {
                    try { body = JsonNode.Parse(text) as JsonObject; }
                    catch (System.Text.Json.JsonException e) { throw StatusException.BadRequest($"error decoding DeleteOptions: {e.Message}"); }
                }
                var options = DeleteOptions.From(body, Query) with { DryRun = dryRun || DeleteOptions.From(body, Query).DryRun };
                var deleted = deleter.Delete(type, ns, path.Name!, options);
                await WriteJsonAsync(context, 200, Served(type, deleted));
                return;
            }
            case "deletecollection":
            {
                var labels = LabelSelector.Parse(Query("labelSelector"));
                var fields = FieldSelector.Parse(Query("fieldSelector"), FieldLabels.For(type));
                var options = DeleteOptions.From(null, Query);
                var (items, _) = store.List(type.GroupResource, ns);
                var deleted = new JsonArray();
                foreach (var item in items.Where(i => labels.Matches(i) && fields.Matches(i)))
                {
                    try { deleted.Add((JsonNode)Served(type, deleter.Delete(type, type.Namespaced ? ObjectMeta.Namespace(item) : null, ObjectMeta.Name(item), options))); }
                    catch (StatusException e) when (e.Code == 404) { }
                }
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = type.ListKind, ["apiVersion"] = type.ApiVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = store.Revision.ToString(CultureInfo.InvariantCulture) },
                    ["items"] = deleted,
                });
                return;
            }
            default:
                throw StatusException.MethodNotAllowed(verb, type);
        }
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? ns, Func<string, string?> query, bool table)
    {
        var labels = LabelSelector.Parse(query("labelSelector"));
        var fields = FieldSelector.Parse(query("fieldSelector"), FieldLabels.For(type));
        var limit = long.TryParse(query("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : long.MaxValue;
        var token = query("continue") is { Length: > 0 } c ? ContinueToken.Decode(c) : null;
        var (all, revision) = store.List(type.GroupResource, ns);
        if (token is not null) revision = token.ResourceVersion;
        var matching = all.Where(o => labels.Matches(o) && fields.Matches(o));
        if (token is not null) matching = matching.Where(o => string.CompareOrdinal(SortKey(o), token.StartAfter) > 0);
        var remaining = matching.ToList();
        var page = remaining.Take((int)Math.Min(limit, int.MaxValue)).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        string? next = null;
        if (remaining.Count > page.Count)
        {
            next = new ContinueToken(revision, SortKey(page[^1])).Encode();
            metadata["continue"] = next;
            if (labels.IsEmpty && fields.IsEmpty) metadata["remainingItemCount"] = remaining.Count - page.Count;
        }
        if (table)
        {
            await WriteJsonAsync(context, 200, tables.Convert(type, page.Select(o => Served(type, o)), revision.ToString(CultureInfo.InvariantCulture), query("includeObject") == "Object", next));
            return;
        }
        var items = new JsonArray();
        foreach (var o in page)
        {
            var item = Served(type, o);
            if (!type.IsCustom) { item.Remove("kind"); item.Remove("apiVersion"); }
            items.Add((JsonNode)item);
        }
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = items,
        });
    }

    /// <summary>Built-in workloads scale spec.replicas; a custom resource where its CRD's scale subresource says.</summary>
    private ScalePaths ScalePathsOf(ResourceType type)
    {
        if (!type.IsCustom) return ScalePaths.BuiltInWorkload;
        var crd = store.Get(new ObjectKey(new GroupResource("apiextensions.k8s.io", "customresourcedefinitions"), "", $"{type.Plural}.{type.Group}"));
        return ScalePaths.FromCrd(crd, type.Version) ?? throw StatusException.NoSuchPath();
    }

    private static JsonObject JsonNodeOrBadRequest(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject ?? throw StatusException.BadRequest("the request body is not an object"); }
        catch (System.Text.Json.JsonException e) { throw StatusException.BadRequest($"error decoding Scale: {e.Message}"); }
    }

    private static string SortKey(JsonObject o) => ObjectMeta.Namespace(o) + "/" + ObjectMeta.Name(o);

    /// <summary>
    /// A stored object as this resource serves it: objects are stored once per group/resource and
    /// each served version reads them with its own apiVersion; events.k8s.io Events are converted
    /// from the core Events they are stored as.
    /// </summary>
    private static JsonObject Served(ResourceType type, JsonObject stored)
    {
        var obj = StoredForm.ToServed(type, stored);
        obj["apiVersion"] = type.ApiVersion;
        return obj;
    }

    private static bool WantsTable(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    /// <summary>The field manager of a write: the fieldManager parameter, else the User-Agent's program.</summary>
    private static string ManagerOf(HttpRequest request) =>
        request.Query.TryGetValue("fieldManager", out var m) && m.ToString() is { Length: > 0 } named ? named : UserAgentProgram(request);

    /// <summary>The default field manager: the client's User-Agent program name, as the apiserver takes it.</summary>
    private static string UserAgentProgram(HttpRequest request)
    {
        var ua = request.Headers.UserAgent.ToString();
        if (ua.Length == 0) return "unknown";
        var program = ua.Split(' ')[0].Split('/')[0];
        return program.Length == 0 ? "unknown" : program;
    }

    private static (string Verb, string Resource) Classify(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        var apiPath = ApiPath.Parse(path);
        if (apiPath is null) return (path.StartsWith("/openapi", StringComparison.Ordinal) ? "openapi" : "discovery", "");
        var watch = request.Query.TryGetValue("watch", out var w) && w.ToString() is "true" or "1";
        var contentType = request.ContentType ?? "";
        var resource = apiPath.Subresource is null ? apiPath.Resource : $"{apiPath.Resource}/{apiPath.Subresource}";
        var verb = request.Method switch
        {
            "GET" when watch => "watch",
            "GET" when apiPath.Name is null => "list",
            "GET" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" when contentType.StartsWith("application/apply-patch", StringComparison.Ordinal) => "apply",
            "PATCH" => "patch",
            "DELETE" when apiPath.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        return (verb, resource);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) throw StatusException.TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw StatusException.TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task InjectAsync(HttpContext context, Diagnostics.FaultRule fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.InternalError:
                await WriteStatusAsync(context, new StatusException(500, "InternalError", "Internal error occurred: injected fault"));
                break;
            case FaultKind.TooManyRequests:
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteStatusAsync(context, new StatusException(429, "TooManyRequests", "Too many requests, please try again later.",
                    new JsonObject { ["retryAfterSeconds"] = fault.RetryAfterSeconds }));
                break;
            case FaultKind.Stall:
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                catch (OperationCanceledException) { }
                break;
        }
    }

    private static Task WriteStatusAsync(HttpContext context, StatusException e)
    {
        if (e.Headers is not null) foreach (var (k, v) in e.Headers) context.Response.Headers[k] = v;
        return WriteJsonAsync(context, e.Code, e.ToStatus());
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonOutput.Write(body), context.RequestAborted);
    }

    private static async Task WriteTextAsync(HttpContext context, int code, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(text, context.RequestAborted);
    }
}
