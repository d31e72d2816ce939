# backfill — thin, phony targets; `make help` lists them.
MVN ?= mvn -B -ntp

.DEFAULT_GOAL := help
.PHONY: help build test package clean bench chaos

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Compile and package the function artifact, no tests
	$(MVN) package -DskipTests

test: ## Run every test: domain, S3/SQS protocol, Lambda handlers, packaged artifact
	$(MVN) verify

package: ## Build the function zip (target/function.zip) for the java21 runtime
	$(MVN) package -DskipTests
	@ls -l target/function.zip

clean: ## Remove build output
	$(MVN) clean

# Deploy, invoke, logs, native build: infra/deploy.mk.
include infra/deploy.mk

# Operating runs (plan, backfill, status, runs, cancel, retry, redrive, watermark, watch, publish, discard,
# audit) and time travel (read, diff, report): infra/ops.mk.
include infra/ops.mk

# The local stack and the demo: src/local/local.mk.
include src/local/local.mk

bench: ## Every performance figure beside its baseline, goal and verdict; also target/bench/bench.json (PARTS="P1 P4" for some)
	$(MVN) -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp target/test-classes:target/classes:$$(cat target/test.classpath) dev.backfill.bench.Bench $(PARTS)

chaos: ## Faults at every step (duplicates, crashes, races, poison, throttling, fuzz, SIGKILLs): one table, target/chaos/report.json (PARTS="R2 E2E" for some)
	$(MVN) -q package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
	java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp target/test-classes:target/classes:$$(cat target/test.classpath) dev.backfill.chaos.Chaos $(PARTS)
