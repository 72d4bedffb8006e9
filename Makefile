# kvstore: `make run` starts the server on the embedded defaults, `make test` runs every test.
SWIFT ?= swift
CONFIG ?= config.yaml

.PHONY: run build release test unit-test crash-test bench clean

run: release
	.build/release/kvstore --config $(CONFIG)

build:
	scripts/setup.sh run
	$(SWIFT) build

release:
	scripts/setup.sh run
	$(SWIFT) build -c release --product kvstore

test:
	scripts/setup.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) build --product kvstore-dashboard
	# The storage conformance suite runs on a real PostgreSQL too (and fails without it).
	scripts/postgres.sh start kvstore-test 55410
	KVSTORE_TEST_POSTGRES_URL="$$(scripts/postgres.sh url kvstore-test)" KVSTORE_TEST_REQUIRE_POSTGRES=1 $(SWIFT) test --skip-build
	scripts/postgres.sh stop kvstore-test
	scripts/check-metrics.sh .build/debug/kvstore
	scripts/check-health.sh .build/debug/kvstore
	scripts/check-openapi.sh .build/debug/kvstore
	scripts/check-tls.sh .build/debug/kvstore
	scripts/check-slow-clients.sh .build/debug/kvstore
	scripts/check-snapshots-diskfull.sh .build/debug/kvstore
	scripts/check-dashboard.sh .build/debug/kvstore-dashboard
	python3 scripts/check_postmortem.py --binary .build/debug/kvstore-dashboard
	scripts/check-deploy-kit.sh .build/debug/kvstore
	scripts/check-prometheus.sh .build/debug/kvstore
	scripts/check-config-errors.sh .build/debug/kvstore
	scripts/check-cluster.sh .build/debug/kvstore
	python3 scripts/snapshot_crash_test.py --binary .build/debug/kvstore
	python3 scripts/crash_test.py --binary .build/debug/kvstore --rounds 5
	python3 scripts/check_storage_faults.py --binary .build/debug/kvstore
	python3 scripts/power_cut_test.py --binary .build/debug/kvstore --rounds 50

bench: release
	scripts/setup.sh bench
	$(SWIFT) build -c release --product kvstore-dashboard
	scripts/bench/kv.sh .build/release/kvstore
	scripts/bench/metrics.sh .build/release/kvstore
	scripts/bench/health.sh .build/release/kvstore
	scripts/bench/snapshots.sh .build/release/kvstore
	scripts/bench/dashboard.sh .build/release/kvstore-dashboard
	scripts/bench/cluster.sh .build/release/kvstore

clean:
	rm -rf .build
