import Testing

/// `make test` runs the conformance suite on PostgreSQL too; this fails the run when it promised
/// a database (`KVSTORE_TEST_REQUIRE_POSTGRES=1`) and the tests did not get one.
@Suite struct PostgresRequirementTests {
    @Test func postgresIsThereWhenRequired() {
        #expect(!PostgresTestDatabase.requiredButMissing, "KVSTORE_TEST_REQUIRE_POSTGRES=1 but KVSTORE_TEST_POSTGRES_URL is not set")
    }
}
