# Operating runs: each target invokes the dispatcher with one action and prints its answer as tables. Against the
# deployed stack (STACK=…, through the AWS CLI v1 or v2) or the local stack (LOCAL=1; `make local` in another
# terminal; the AWS CLI when installed, else plain HTTP). Included by the Makefile, which defines MVN.

REPROCESS ?=
ORDER ?=
KEY ?=
PUBLISH ?=
AS_OF ?=
FORCE ?=
RUN ?=
SET ?=
LIMIT ?=
export STACK LOCAL AWS

# The operator CLI (dev.backfill.ops, beside the local stack: never in the function zip) runs on the test class
# path, built once and again whenever a source changes.
OPS_CP := target/ops.classpath
OPS = java -cp target/test-classes:target/classes:$$(cat $(OPS_CP)) dev.backfill.ops.Ops

$(OPS_CP): pom.xml $(shell find src/main src/local -name '*.java' 2>/dev/null)
	$(MVN) -q test-compile dependency:build-classpath -Dmdep.outputFile=$(OPS_CP) -Dmdep.includeScope=test

.PHONY: plan backfill status runs cancel retry redrive watermark watch audit publish discard
DAY ?=

plan: $(OPS_CP) ## Dry run of a backfill: probe, estimate, warnings: JOB= START= END= [REPROCESS=] [ORDER=] [PUBLISH=] [AS_OF=] (STACK=|LOCAL=1)
	$(call need,START,the first day: START=2026-04-09)
	$(call need,END,the day after the last one: END=2026-04-30)
	@$(OPS) plan job=$(JOB) start=$(START) end=$(END) reprocess=$(REPROCESS) order=$(ORDER) publish=$(PUBLISH) inputsAsOf=$(AS_OF)

backfill: $(OPS_CP) ## Start a backfill of [START, END): JOB= START= END= [REPROCESS=all|missing|failed|stale] [ORDER=oldest|newest] [KEY=] [PUBLISH=direct|staged] [AS_OF=<instant>]
	$(call need,START,the first day: START=2026-04-09)
	$(call need,END,the day after the last one: END=2026-04-30)
	@$(OPS) backfill job=$(JOB) start=$(START) end=$(END) reprocess=$(REPROCESS) order=$(ORDER) idempotencyKey=$(KEY) publish=$(PUBLISH) inputsAsOf=$(AS_OF)

status: $(OPS_CP) ## Where a run stands: RUN=<runId>
	$(call need,RUN,the run id: RUN=20261125T144019Z-3d187b)
	@$(OPS) status runId=$(RUN)

runs: $(OPS_CP) ## The latest runs first: [JOB=] [LIMIT=20]
	@$(OPS) runs $(if $(filter command line environment,$(origin JOB)),job=$(JOB)) limit=$(LIMIT)

cancel: $(OPS_CP) ## Cancel a run: no window of it starts after this returns: RUN=
	$(call need,RUN,the run id)
	@$(OPS) cancel runId=$(RUN)

retry: $(OPS_CP) ## Send a run's failed, cancelled and unsent windows again, same run and fence: RUN=
	$(call need,RUN,the run id)
	@$(OPS) retry runId=$(RUN)

redrive: $(OPS_CP) ## Move the dead-letter queue's messages back to the work queue
	@$(OPS) redrive

watermark: $(OPS_CP) ## Read a job's schedule watermark, or set it: JOB= [SET=2026-04-01]
	@$(OPS) watermark job=$(JOB) set=$(SET)

publish: $(OPS_CP) ## Make a staged run's windows current, after its audit gates: RUN= [FORCE=1]
	$(call need,RUN,the run id of a backfill with PUBLISH=staged)
	@$(OPS) publish runId=$(RUN) force=$(if $(filter 1 true,$(FORCE)),true)

discard: $(OPS_CP) ## Delete a staged run's staged output; the live table is untouched: RUN=
	$(call need,RUN,the run id of a backfill with PUBLISH=staged)
	@$(OPS) discard runId=$(RUN)

watch: $(OPS_CP) ## A live progress bar of a run until it ends: RUN=
	$(call need,RUN,the run id)
	@$(OPS) watch runId=$(RUN)

audit: $(OPS_CP) ## Is a job backfillable? Runs it on a scratch copy, scores 0-4 with evidence: JOB= [DAY=2026-04-09]
	@$(OPS) audit job=$(JOB) day=$(DAY)
# Time travel: the table as of an instant, two snapshots compared, a run's before/after report.
TABLE ?= daily_event_counts
AS_OF ?=
BEFORE ?=
AFTER ?= now
.PHONY: read diff report

read: $(OPS_CP) ## The table as of an instant (default now): [TABLE=] DAY= | START= END= [AS_OF=2026-04-20T00:00:00Z]
	@$(OPS) read table=$(TABLE) day=$(DAY) start=$(START) end=$(END) asOf=$(AS_OF)

diff: $(OPS_CP) ## Two snapshots compared per day and key: [TABLE=] START= END= BEFORE=<instant>|now [AFTER=now]
	$(call need,START,the first day: START=2026-04-09)
	$(call need,END,the day after the last one: END=2026-04-30)
	$(call need,BEFORE,an instant or now: BEFORE=2026-04-20T00:00:00Z)
	@$(OPS) diff table=$(TABLE) start=$(START) end=$(END) before=$(BEFORE) after=$(AFTER)

report: $(OPS_CP) ## A run's before/after report (HTML, CSV), downloaded to target/reports/<runId>/: RUN=
	$(call need,RUN,the run id)
	@$(OPS) report runId=$(RUN)
