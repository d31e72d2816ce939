# Deploy with the AWS CLI alone (v1 or v2): `aws cloudformation package` uploads target/function.zip and rewrites
# infra/template.yaml; `aws cloudformation deploy` creates or updates the stack through a change set.
# Included by the Makefile, which defines MVN and `package`.

STACK ?=
ARTIFACT_BUCKET ?=
BUILD ?= jvm
PARAMS ?=
JOB ?= daily_event_counts
MINUTES ?= 30
AWS ?= aws

TEMPLATE := infra/template.yaml
PACKAGED := target/packaged-template.yaml
# A local GraalVM or Mandrel when GRAALVM_HOME is set; otherwise Quarkus builds the binary in a container.
NATIVE_BUILD := -Dnative $(if $(GRAALVM_HOME),,-Dquarkus.native.container-build=true)

# $(call need-aws) / $(call need,VARIABLE,what it is): stop with a clear message before doing anything.
need-aws = @command -v $(AWS) >/dev/null 2>&1 || { echo "$@: the AWS CLI ('$(AWS)', v1 or v2) is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html" >&2; exit 1; }
need = @test -n "$($(1))" || { echo "$@: set $(1), $(2)" >&2; exit 1; }
# A checksum of what the functions are made of (zip, template, BUILD, PARAMS): SAM publishes new versions of both
# functions, and moves their alias to them, whenever it changes (the template's VersionStamp parameter), even when
# only a parameter changed. cksum is in every POSIX shell toolbox.
version-stamp = $$({ cat target/function.zip $(TEMPLATE); printf '%s' '$(BUILD) $(PARAMS)'; } | cksum | cut -d' ' -f1)
# $(call stack-output,OutputKey): a command printing one output of the stack.
stack-output = $(AWS) cloudformation describe-stacks --stack-name $(STACK) --query "Stacks[0].Outputs[?OutputKey=='$(1)'].OutputValue" --output text

.PHONY: deploy destroy logs native

deploy: ## Build, upload, deploy: STACK=… ARTIFACT_BUCKET=… [BUILD=jvm|native] [PARAMS="MaxConcurrency=10 …"]
	$(call need-aws)
	$(call need,STACK,the CloudFormation stack name: make deploy STACK=backfill ARTIFACT_BUCKET=my-artifacts-bucket)
	$(call need,ARTIFACT_BUCKET,an S3 bucket for the code zip in the stack's region (created if missing))
	@case "$(BUILD)" in jvm|native) ;; *) echo "deploy: BUILD must be jvm or native, not '$(BUILD)'" >&2; exit 1;; esac
	$(MAKE) --no-print-directory $(if $(filter native,$(BUILD)),native,package)
	$(AWS) s3api head-bucket --bucket $(ARTIFACT_BUCKET) >/dev/null 2>&1 || $(AWS) s3 mb s3://$(ARTIFACT_BUCKET)
	$(AWS) cloudformation package --template-file $(TEMPLATE) --s3-bucket $(ARTIFACT_BUCKET) --s3-prefix $(STACK) \
		--output-template-file $(PACKAGED)
	$(AWS) cloudformation deploy --template-file $(PACKAGED) --stack-name $(STACK) \
		--s3-bucket $(ARTIFACT_BUCKET) --s3-prefix $(STACK) --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
		--parameter-overrides Build=$(BUILD) VersionStamp=$(version-stamp) $(PARAMS) --no-fail-on-empty-changeset
	$(AWS) cloudformation describe-stacks --stack-name $(STACK) --query "Stacks[0].Outputs" --output table

destroy: ## Delete the stack; its data bucket is kept: STACK=…
	$(call need-aws)
	$(call need,STACK,the CloudFormation stack name: make destroy STACK=backfill)
	@bucket=$$($(call stack-output,BucketName)) && \
		$(AWS) cloudformation delete-stack --stack-name $(STACK) && \
		$(AWS) cloudformation wait stack-delete-complete --stack-name $(STACK) && \
		echo "Deleted stack $(STACK). Kept its data bucket $$bucket (tables and history); delete it by hand when done."

logs: ## Print the last MINUTES (default 30) of both functions' logs: STACK=… [MINUTES=120]
	$(call need-aws)
	$(call need,STACK,the CloudFormation stack name)
	@since=$$(( ($$(date +%s) - $(MINUTES) * 60) * 1000 )); \
	for output in DispatcherLogGroupName WorkerLogGroupName; do \
		group=$$($(call stack-output,$$output)) || exit 1; \
		echo "== $$group"; \
		$(AWS) logs filter-log-events --log-group-name "$$group" --start-time $$since \
			--query "events[].[message]" --output text || exit 1; \
	done

native: ## Build target/function.zip as a native bootstrap for provided.al2023 (GRAALVM_HOME, else a container)
	$(MVN) package -DskipTests $(NATIVE_BUILD)
	@ls -l target/function.zip
