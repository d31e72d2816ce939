# The local stack and the demo (src/local): the packaged function zip running on 127.0.0.1, driven like AWS.
# Both build what they need first: the function zip and the local stack's classes (test scope, never in the zip).
.PHONY: local demo coldstart

local: ## Run the packaged functions locally: S3 :9000, SQS :9324, Lambda :3001; Ctrl-C stops
	$(MVN) -q package exec:java -DskipTests

demo: ## Build, then replay a buggy schedule, fix it, backfill 21 days and show before/after
	$(MVN) -q package exec:java -DskipTests -Dexec.args=demo

coldstart: ## Measure both functions' Init Duration and first-call latency on the local stack, 3 rounds
	$(MVN) -q package exec:java -DskipTests -Dexec.mainClass=dev.backfill.bench.ColdStarts -Dexec.args=3
