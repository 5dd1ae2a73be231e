using ContextLite.Node.Quotas;

namespace ContextLite.Node.Tests.Quotas;

public sealed class LocalQuotaStoreTests : QuotaStoreContractTests
{
    private readonly LocalQuotaStore _store;

    public LocalQuotaStoreTests() => _store = new LocalQuotaStore(Time);

    private protected override IQuotaStore Store => _store;
}
