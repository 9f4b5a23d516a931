// Each namespace under ScanFixture uses the Target namespace in one way only; TypeDependenciesTests expects the scanner to see each.
namespace GitOps.Operator.Tests.Architecture.ScanFixture.Target
{
    public class Used
    {
        public static readonly Used Shared = new();
    }

    public class Base;

    public interface IContract;

    public sealed class UsedException : Exception;

    [AttributeUsage(AttributeTargets.All)]
    public sealed class MarkerAttribute : Attribute;
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByBaseType
{
    internal sealed class User : Target.Base;
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByInterface
{
    internal sealed class User : Target.IContract;
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByAttribute
{
    [Target.Marker]
    internal static class User;
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByParameter
{
    internal static class User
    {
        internal static int Hash(Target.Used used) => used.GetHashCode();
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByGenericArgument
{
    internal static class User
    {
        internal static int Count() => new List<Target.Used>().Count;
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByGenericMethodArgument
{
    internal static class User
    {
        internal static int Count() => Array.Empty<Target.Used>().Length;
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByStaticField
{
    internal static class User
    {
        internal static object Read() => Target.Used.Shared;
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByTypeCheck
{
    internal static class User
    {
        internal static bool Check(object value) => value is Target.Used;
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByTypeof
{
    internal static class User
    {
        internal static Type Token() => typeof(Target.Used);
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByCatch
{
    internal static class User
    {
        internal static int Guard(Func<int> action)
        {
            try
            {
                return action();
            }
            catch (Target.UsedException)
            {
                return 0;
            }
        }
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByLambda
{
    internal static class User
    {
        internal static Func<object> Factory() => () => new Target.Used();
    }
}

namespace GitOps.Operator.Tests.Architecture.ScanFixture.ByAsyncMethod
{
    internal static class User
    {
        internal static async Task<int> HashLaterAsync()
        {
            await Task.Yield();
            return new Target.Used().GetHashCode();
        }
    }
}
