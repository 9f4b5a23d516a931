using System.Text.Json.Nodes;
using GitOps.Engine.Diff;

namespace GitOps.Engine.Tests.Diff;

public class FieldSetTests
{
    private const string Object = """
        spec:
          replicas: 3
          containers:
          - {name: a, image: a:1, env: [{name: X, value: "1"}]}
          - {name: b, image: b:1}
          finalizers: [x, 'y']
          ports:
          - {containerPort: 80, protocol: TCP}
          - {containerPort: 80, protocol: UDP}
        """;

    public static TheoryData<string, string, string> Remove_TestData() => new()
    {
        { "f: leaf", "f:spec: {f:replicas: {}}", "/spec/replicas" },
        { "k: item with dot goes as a whole", "f:spec: {f:containers: {'k:{\"name\":\"b\"}': {.: {}, f:name: {}}}}", "/spec/containers/1" },
        { "k: item field only", "f:spec: {f:containers: {'k:{\"name\":\"a\"}': {f:image: {}}}}", "/spec/containers/0/image" },
        { "k: with two key fields and a number", "f:spec: {f:ports: {'k:{\"containerPort\":80,\"protocol\":\"UDP\"}': {.: {}}}}", "/spec/ports/1" },
        { "v: set item", "f:spec: {f:finalizers: {'v:\"y\"': {}}}", "/spec/finalizers/1" },
        { "i: index", "f:spec: {f:containers: {'i:0': {f:image: {}}}}", "/spec/containers/0/image" },
        { "nested k: inside k:", "f:spec: {f:containers: {'k:{\"name\":\"a\"}': {f:env: {'k:{\"name\":\"X\"}': {f:value: {}}}}}}", "/spec/containers/0/env/0/value" },
    };

    [Theory]
    [MemberData(nameof(Remove_TestData))]
    public void RemoveFrom_FieldsV1_RemovesExactlyThatPath(string caseName, string fieldsV1Yaml, string removedPointer)
    {
        var obj = TestJson.Yaml(Object)!.AsObject();
        var set = FieldSet.Parse(TestJson.Yaml(fieldsV1Yaml)!.AsObject());

        set.RemoveFrom(obj);

        var expected = TestJson.Yaml(Object)!.AsObject();
        GitOps.Engine.Model.Json.RemoveAt(expected, GitOps.Engine.Model.Json.ParsePointer(removedPointer));
        Assert.True(JsonNode.DeepEquals(expected, obj), $"{caseName}: {obj.ToJsonString()}");
    }

    [Fact]
    public void Project_OwnedFields_KeepsOnlyThem()
    {
        var obj = TestJson.Yaml(Object)!.AsObject();
        var set = FieldSet.Parse(TestJson.Yaml("f:spec: {f:containers: {'k:{\"name\":\"b\"}': {.: {}, f:name: {}, f:image: {}}}, f:replicas: {}}")!.AsObject());

        var projected = set.Project(obj);

        Assert.Equal("{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"b:1\"}],\"replicas\":3}}", projected!.ToJsonString());
    }

    public static TheoryData<string, string> Bad_TestData() => new()
    {
        { "unknown prefix", "x:foo" },
        { "k: not an object", "k:[1]" },
        { "k: broken json", "k:{\"name\"" },
        { "i: not a number", "i:a" },
    };

    [Theory]
    [MemberData(nameof(Bad_TestData))]
    public void Parse_BadElement_ThrowsFormatException(string caseName, string key)
    {
        var e = Assert.Throws<FormatException>(() => FieldSet.Parse(new JsonObject { [key] = new JsonObject() }));
        Assert.True(e.Message.Length > 0, caseName);
    }
}
