# Developer shortcuts; the README's two commands work without make.
include templ.config

.PHONY: generate test race lint build demo

# Regenerate templ views with the settings in templ.config.
generate:
	go tool templ generate -path $(TEMPL_PATH) $(TEMPL_FLAGS)

# The whole test suite (set ASRBOARD_TEST_POSTGRES_URL to include PostgreSQL).
test:
	go test ./...

# The race detector on the packages with concurrency.
race:
	go test -race -count=1 ./storage/ ./handlers/

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...

build:
	go build -o asrboard .

demo:
	go run . demo
