package rules

import (
	"path"

	"fmt"
	"golang.org/x/tools/txtar"
	"strings"
)

// Markdown renders a rule's documentation page from its metadata: title,
// facts, Rationale, Avoid (Bad), Prefer (Good), options and references.
// docs/rules and `iamlint explain` both print this text.
func (m *Meta) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", m.ID, m.Title)
	b.WriteString("| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| Slug | `%s` |\n", m.Slug)
	fmt.Fprintf(&b, "| Severity | %s |\n", m.Severity)
	enabled := "no"
	if m.Default {
		enabled = "yes"
	}
	fmt.Fprintf(&b, "| Enabled by default | %s |\n", enabled)
	if m.Since != "" {
		fmt.Fprintf(&b, "| Since | %s |\n", m.Since)
	}
	if m.Source != "" {
		fmt.Fprintf(&b, "| Defined in | `%s` (a custom rule) |\n", m.Source)
	}
	b.WriteString("\n## Rationale\n\n")
	b.WriteString(strings.TrimSpace(m.Rationale))
	b.WriteString("\n")
	// Custom rules (Rego) may have no examples.
	if strings.TrimSpace(m.Bad) != "" {
		b.WriteString("\n## Avoid\n\n")
		writeExample(&b, m.Bad)
	}
	if strings.TrimSpace(m.Good) != "" {
		b.WriteString("\n## Prefer\n\n")
		writeExample(&b, m.Good)
	}
	b.WriteString("\n## Options\n\n")
	if len(m.Options) == 0 {
		b.WriteString("This rule has no options.\n")
	} else {
		b.WriteString("| Name | Type | Default | Description |\n| --- | --- | --- | --- |\n")
		for _, o := range m.Options {
			fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", o.Name, o.Type, o.Default, o.Description)
		}
	}
	if len(m.References) > 0 {
		b.WriteString("\n## References\n\n")
		for _, r := range m.References {
			fmt.Fprintf(&b, "- <%s>\n", r)
		}
	}
	return b.String()
}

// DocFile is the name of a rule's page under docs/rules.
func (m *Meta) DocFile() string { return m.ID + "-" + m.Slug + ".md" }

// IndexMarkdown renders the index page of docs/rules.
func IndexMarkdown(rs []*Rule) string {
	var b strings.Builder
	b.WriteString("# iamlint rules\n\n")
	b.WriteString("Generated from the rules' metadata by `go generate ./rules/...`; do not edit.\n\n")
	b.WriteString("| ID | Slug | Severity | Default | Title |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range rs {
		def := "no"
		if r.Default {
			def = "yes"
		}
		fmt.Fprintf(&b, "| [%s](%s) | `%s` | %s | %s | %s |\n", r.ID, r.DocFile(), r.Slug, r.Severity, def, r.Title)
	}
	return b.String()
}

// writeExample renders a Bad or Good example: a JSON policy, or a txtar
// archive of files (see Meta.Bad), each file under its name in a block of
// its language.
func writeExample(b *strings.Builder, ex string) {
	ex = strings.TrimSpace(ex)
	if !strings.HasPrefix(ex, "-- ") {
		b.WriteString("```json\n" + ex + "\n```\n")
		return
	}
	ar := txtar.Parse([]byte(ex))
	for i, f := range ar.Files {
		if i > 0 {
			b.WriteString("\n")
		}
		lang := "json"
		switch path.Ext(f.Name) {
		case ".tf", ".hcl":
			lang = "hcl"
		case ".csv":
			lang = "csv"
		case ".yaml", ".yml":
			lang = "yaml"
		}
		fmt.Fprintf(b, "`%s`:\n\n```%s\n%s\n```\n", f.Name, lang, strings.TrimSpace(string(f.Data)))
	}
}
