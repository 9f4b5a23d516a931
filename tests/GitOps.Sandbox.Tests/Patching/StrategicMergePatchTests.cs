using System.Text.Json.Nodes;
using GitOps.Sandbox.Patching;
using GitOps.Sandbox.Schema;
using Xunit;
using static GitOps.Sandbox.Tests.Patching.PatchAssert;

namespace GitOps.Sandbox.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string Deployment = """
        {'apiVersion':'apps/v1','kind':'Deployment',
         'metadata':{'name':'d','labels':{'app':'d'},'finalizers':['a','b']},
         'spec':{'replicas':1,'selector':{'matchLabels':{'app':'d'}},
          'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}},
          'template':{'metadata':{'labels':{'app':'d'}},'spec':{
           'containers':[
            {'name':'a','image':'nginx','args':['x','y'],'env':[{'name':'A','value':'1'}],'ports':[{'containerPort':80}],'volumeMounts':[{'name':'v','mountPath':'/v'}]},
            {'name':'b','image':'busybox'}],
           'volumes':[{'name':'v','emptyDir':{}}]}}}}
        """;

    private static SchemaNode DeploymentSchema => BuiltinSchemas.Shared.Find("apps", "v1", "Deployment")!;

    private static string PodSpec(string fields) => "{'spec':{'template':{'spec':" + fields + "}}}";

    public static TheoryData<string, string, string, string> Apply_DeploymentPatch_TestData() => new()
    {
        { "new container goes before the others", PodSpec("{'containers':[{'name':'c','image':'c'}]}"), "spec.template.spec.containers.*name", "['c','a','b']" },
        { "container merged by name keeps order", PodSpec("{'containers':[{'name':'b','image':'busybox:2'}]}"), "spec.template.spec.containers.1", "{'name':'b','image':'busybox:2'}" },
        { "container merge keeps other fields", PodSpec("{'containers':[{'name':'a','image':'nginx:2'}]}"), "spec.template.spec.containers.0.args", "['x','y']" },
        { "env merged by name, new first", PodSpec("{'containers':[{'name':'a','env':[{'name':'B','value':'2'}]}]}"), "spec.template.spec.containers.0.env", "[{'name':'B','value':'2'},{'name':'A','value':'1'}]" },
        { "env value updated by name", PodSpec("{'containers':[{'name':'a','env':[{'name':'A','value':'9'}]}]}"), "spec.template.spec.containers.0.env", "[{'name':'A','value':'9'}]" },
        { "ports merged by containerPort", PodSpec("{'containers':[{'name':'a','ports':[{'containerPort':443}]}]}"), "spec.template.spec.containers.0.ports", "[{'containerPort':443},{'containerPort':80}]" },
        { "volumeMounts merged by mountPath", PodSpec("{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/w'}]}]}"), "spec.template.spec.containers.0.volumeMounts", "[{'name':'v','mountPath':'/w'},{'name':'v','mountPath':'/v'}]" },
        { "volumes merged by name", PodSpec("{'volumes':[{'name':'w','emptyDir':{}}]}"), "spec.template.spec.volumes", "[{'name':'w','emptyDir':{}},{'name':'v','emptyDir':{}}]" },
        { "args without strategy replaced", PodSpec("{'containers':[{'name':'a','args':['z']}]}"), "spec.template.spec.containers.0.args", "['z']" },
        { "$patch delete removes container", PodSpec("{'containers':[{'name':'a','$patch':'delete'}]}"), "spec.template.spec.containers", "[{'name':'b','image':'busybox'}]" },
        { "$patch delete removes env", PodSpec("{'containers':[{'name':'a','env':[{'name':'A','$patch':'delete'}]}]}"), "spec.template.spec.containers.0.env", "[]" },
        { "$patch replace element replaces list", PodSpec("{'containers':[{'name':'c','image':'c'},{'$patch':'replace'}]}"), "spec.template.spec.containers", "[{'name':'c','image':'c'}]" },
        { "$setElementOrder orders list", PodSpec("{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'new'}]}"), "spec.template.spec.containers.*image", "['busybox','new']" },
        { "new list drops deleted elements", PodSpec("{'initContainers':[{'name':'i','image':'i'},{'name':'j','$patch':'delete'}]}"), "spec.template.spec.initContainers", "[{'name':'i','image':'i'}]" },
        { "null deletes field", "{'spec':{'replicas':null}}", "spec", "{'selector':{'matchLabels':{'app':'d'}},'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}},'template':{'metadata':{'labels':{'app':'d'}},'spec':{'containers':[{'name':'a','image':'nginx','args':['x','y'],'env':[{'name':'A','value':'1'}],'ports':[{'containerPort':80}],'volumeMounts':[{'name':'v','mountPath':'/v'}]},{'name':'b','image':'busybox'}],'volumes':[{'name':'v','emptyDir':{}}]}}}" },
        { "labels merge", "{'metadata':{'labels':{'b':'2'}}}", "metadata.labels", "{'app':'d','b':'2'}" },
        { "label null deletes", "{'metadata':{'labels':{'app':null}}}", "metadata.labels", "{}" },
        { "$patch replace on map", "{'spec':{'selector':{'matchLabels':{'$patch':'replace','x':'y'}}}}", "spec.selector.matchLabels", "{'x':'y'}" },
        { "$patch delete on map empties it", "{'metadata':{'labels':{'$patch':'delete'}}}", "metadata.labels", "{}" },
        { "$retainKeys clears other fields", "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}", "spec.strategy", "{'type':'Recreate'}" },
        { "primitive merge list is unioned", "{'metadata':{'finalizers':['c','a']}}", "metadata.finalizers", "['c','a','b']" },
        { "$deleteFromPrimitiveList removes values", "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}", "metadata.finalizers", "['b']" },
        { "scalar replaced", "{'spec':{'replicas':3}}", "spec.replicas", "3" },
    };

    [Theory]
    [MemberData(nameof(Apply_DeploymentPatch_TestData))]
    public void Apply_DeploymentPatch_MergesByPatchStrategy(string caseName, string patch, string path, string expected)
    {
        Assert.NotEmpty(caseName);
        var original = Json(Deployment)!.AsObject();
        var before = original.ToJsonString();

        var result = StrategicMergePatch.Apply(original, Json(patch)!.AsObject(), DeploymentSchema);

        Equal(Json(expected), Select(result, path));
        Assert.Equal(before, original.ToJsonString());
    }

    public static TheoryData<string, string, int, string> Apply_BadDeploymentPatch_TestData() => new()
    {
        { "element without merge key", PodSpec("{'containers':[{'image':'x'}]}"), 500, "map: map[image:x] does not contain declared merge key: name" },
        { "unknown element directive", PodSpec("{'containers':[{'name':'a','$patch':'frob'}]}"), 500, "unknown patch type: frob in map: map[$patch:frob name:a]" },
        { "unknown map directive", "{'metadata':{'labels':{'$patch':'frob'}}}", 500, "unknown patch type: frob in map: map[$patch:frob]" },
        { "$patch merge on element", PodSpec("{'containers':[{'name':'a','$patch':'merge'}]}"), 500, "merging lists cannot yet be specified in the patch" },
        { "field outside $retainKeys", "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{'maxSurge':1}}}}", 400, "invalid patch format of retainKeys" },
        { "$retainKeys not a list", "{'spec':{'strategy':{'$retainKeys':'type'}}}", 400, "invalid patch format of retainKeys" },
    };

    [Theory]
    [MemberData(nameof(Apply_BadDeploymentPatch_TestData))]
    public void Apply_BadDeploymentPatch_ThrowsStatusOfKubeApiserver(string caseName, string patch, int code, string message)
    {
        Assert.NotEmpty(caseName);

        var error = Assert.Throws<PatchException>(() =>
            StrategicMergePatch.Apply(Json(Deployment)!.AsObject(), Json(patch)!.AsObject(), DeploymentSchema));

        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    public static TheoryData<string, string, string, string> Apply_UnknownSchema_TestData() => new()
    {
        { "list replaced", "{'a':[1,2]}", "{'a':[3]}", "{'a':[3]}" },
        { "list of maps replaced", "{'a':[{'name':'x','v':1}]}", "{'a':[{'name':'y'}]}", "{'a':[{'name':'y'}]}" },
        { "maps merge and null deletes", "{'a':{'b':1,'c':2}}", "{'a':{'b':null,'d':3}}", "{'a':{'c':2,'d':3}}" },
        { "new member added", "{}", "{'x':{'y':'z'}}", "{'x':{'y':'z'}}" },
    };

    [Theory]
    [MemberData(nameof(Apply_UnknownSchema_TestData))]
    public void Apply_UnknownSchema_BehavesLikeMergePatch(string caseName, string original, string patch, string expected)
    {
        Assert.NotEmpty(caseName);

        var result = StrategicMergePatch.Apply(Json(original)!.AsObject(), Json(patch)!.AsObject(), SchemaNode.Unknown);

        Equal(Json(expected), result);
        Equal(MergePatch.Apply(Json(original), Json(patch)), result);
    }

    /// <summary>Dotted path; numbers index lists; a last segment "*field" maps a list to that field of each element.</summary>
    private static JsonNode? Select(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            if (segment.StartsWith('*'))
                return new JsonArray(node!.AsArray().Select(e => e?[segment[1..]]?.DeepClone()).ToArray());
            node = node is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : node?[segment];
        }
        return node;
    }
}
