namespace GitOps.Engine.Tests.Architecture;

/// <summary>
/// What GitOps.Engine may reference (house rule 1: the Engine is pure). To use something new, add
/// one line with a comment saying why it does no I/O and reads no clock, randomness or process state.
/// An assembly allowed whole is trusted as a library; only the Engine's own references are checked.
/// </summary>
internal static class EngineAllowList
{
    private const string Clock = "reads the clock: the caller passes the time in";

    public static readonly ReferenceAllowList Rules = new ReferenceAllowList()
        // Whole assemblies: computation over values in memory. Their stream APIs need System.IO.Stream, which stays out.
        .AllowAssembly("System.Collections")                // List, Dictionary, HashSet
        .AllowAssembly("System.Collections.Immutable")      // immutable results (house rule 2)
        .AllowAssembly("System.Linq")                       // queries over in-memory sequences
        .AllowAssembly("System.Memory")                     // span helpers (MemoryExtensions)
        .AllowAssembly("System.Text.Json")                  // Manifest wraps a JsonObject
        .AllowAssembly("System.Text.RegularExpressions")    // [GeneratedRegex] patterns (wildcards, image tags, durations)
        .AllowAssembly("YamlDotNet")                        // multi-document YAML → Manifest, read from a StringReader
        .AllowAssembly("Cronos")                            // sync windows: the next occurrence after an instant the caller gives
        .AllowAssembly("Cel")                               // CEL health rules (spec.healthChecks) evaluated over a live object; no I/O
        .AllowAssembly("Antlr4.Runtime.Standard")           // Cel's parser, walked to refuse functions Cel cannot evaluate
        .AllowAssembly("Google.Protobuf")                   // Cel's value types (pinned for it); no I/O used

        // System.Runtime is the facade of the whole base library, files, environment and clock included: namespaces and types one by one.
        .AllowNamespace("System.Runtime", "System")                         // primitives, strings, exceptions, delegates, time values; impure types forbidden below
        .AllowNamespace("System.Runtime", "System.Collections")             // non-generic collection interfaces
        .AllowNamespace("System.Runtime", "System.Collections.Generic")     // generic collection interfaces, KeyValuePair
        .AllowNamespace("System.Runtime", "System.Globalization")           // invariant-culture parsing and formatting
        .AllowNamespace("System.Runtime", "System.Runtime.CompilerServices") // compiler support: interpolated strings, nullable and readonly attributes
        .AllowNamespace("System.Runtime", "System.Text")                    // StringBuilder, Encoding.UTF8 over strings in memory
        // text in memory, for YamlDotNet; the rest of System.IO (files, streams, paths) stays out
        .AllowTypes("System.Runtime", "System.IO.TextReader", "System.IO.StringReader", "System.IO.TextWriter", "System.IO.StringWriter")
        // emitted by the compiler; the rest of System.Diagnostics (Stopwatch, Process, Debug) stays out
        .AllowTypes("System.Runtime", "System.Diagnostics.DebuggableAttribute", "System.Diagnostics.DebuggerBrowsableAttribute",
            "System.Diagnostics.DebuggerBrowsableState")
        .AllowTypes("System.Runtime", "System.CodeDom.Compiler.GeneratedCodeAttribute")        // marks the [GeneratedRegex] output
        .AllowTypes("System.Runtime", "System.Threading.Lock", "System.Threading.Lock+Scope")  // an in-memory lock around the compiled-rule cache
        .AllowTypes("System.Runtime", "System.Buffers.SearchValues", "System.Buffers.SearchValues`1") // fast character search (compiler-generated for some regexes)
        .AllowTypes("System.Runtime", "System.Buffers.ArrayPool`1")                          // scratch arrays for sorting keys while hashing, returned at once
        .AllowTypes("System.Runtime", "System.Runtime.InteropServices.InAttribute")            // marks `in` and readonly-ref parameters
        .AllowTypes("System.Runtime", "System.Runtime.Versioning.TargetFrameworkAttribute")    // written by the SDK
        // assembly info written by the SDK; the rest of System.Reflection (Assembly.Load, resources) stays out
        .AllowTypes("System.Runtime", "System.Reflection.AssemblyCompanyAttribute", "System.Reflection.AssemblyConfigurationAttribute",
            "System.Reflection.AssemblyFileVersionAttribute", "System.Reflection.AssemblyInformationalVersionAttribute",
            "System.Reflection.AssemblyProductAttribute", "System.Reflection.AssemblyTitleAttribute",
            "System.Reflection.AssemblyMetadataAttribute")                                    // IsAotCompatible / IsTrimmable markers
        .AllowOnlyMembers("System.Runtime", "System.Reflection.MemberInfo", "get_Name")  // GetType().Name in ToString()
        .AllowOnlyMembers("System.Runtime", "System.AppContext", "GetData")              // [GeneratedRegex] reads REGEX_DEFAULT_MATCH_TIMEOUT
        .AllowTypes("System.Security.Cryptography", "System.Security.Cryptography.SHA256") // content hashes: a function of the bytes

        // Not in the list, so already out: System.Threading (Thread, Timer, Task.Delay/Run), System.Net, the rest of System.IO.
        // Inside what is allowed: the clock, randomness, the terminal and the process.
        .ForbidType("System.Console", "terminal I/O")
        .ForbidType("System.Environment", "process state: variables, machine, exit")
        .ForbidType("System.AppDomain", "process state")
        .ForbidType("System.Random", "random: results must follow from the inputs")
        .ForbidType("System.TimeProvider", Clock)
        .ForbidMembers("System.DateTime", Clock, "get_Now", "get_UtcNow", "get_Today")
        .ForbidMembers("System.DateTimeOffset", Clock, "get_Now", "get_UtcNow")
        .ForbidMembers("System.Guid", "random: results must follow from the inputs", "NewGuid", "CreateVersion7")
        .ForbidMembers("System.TimeZoneInfo", "reads the machine's zone or time-zone files: the caller looks zones up",
            "get_Local", "FindSystemTimeZoneById", "TryFindSystemTimeZoneById", "GetSystemTimeZones", "ClearCachedData")
        .ForbidMembers("System.Globalization.CultureInfo", "the thread's culture: parse and format with the invariant culture",
            "get_CurrentCulture", "get_CurrentUICulture", "set_CurrentCulture", "set_CurrentUICulture");
}
