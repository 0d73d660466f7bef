package analyzer

//go:generate go run ./internal/docgen -out ../docs/escalation.md
