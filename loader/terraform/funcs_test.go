package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The functions policies are built with behave as Terraform's.
func TestFunctions(t *testing.T) {
	ctx := &hcl.EvalContext{Functions: baseFunctions()}
	tests := []struct{ expr, want string }{
		{`jsonencode({b = ["x"], a = 1})`, `{"a":1,"b":["x"]}`},
		{`jsondecode("{\"a\": [1]}").a[0]`, `1`},
		{`join(",", concat(["a"], ["b", "c"]))`, `a,b,c`},
		{`join(",", distinct(flatten([["a", "b"], ["a"]])))`, `a,b`},
		{`join(",", compact(["a", "", "b"]))`, `a,b`},
		{`join(",", sort(toset(["b", "a", "b"])))`, `a,b`},
		{`lookup({a = "x"}, "b", "d")`, `d`},
		{`coalesce("", "x")`, `x`},
		{`try(local_missing, "fallback")`, `fallback`},
		{`format("arn:aws:s3:::%s/*", "b")`, `arn:aws:s3:::b/*`},
		{`replace("a-b_c", "/[-_]/", ".")`, `a.b.c`},
		{`replace("a.b", ".", "-")`, `a-b`},
		{`length("abc") + length(["a"]) + length({a = 1})`, `5`},
		{`index(["a", "b"], "b")`, `1`},
		{`one(["x"])`, `x`},
		{`sum([1, 2])`, `3`},
		{`alltrue([true, true]) && !anytrue([false])`, `true`},
		{`startswith("arn:aws", "arn:") && endswith("x.json", ".json") && strcontains("abc", "b")`, `true`},
		{`upper(trimspace(" a "))`, `A`},
		{`join(",", keys(merge({a = 1}, {b = 2})))`, `a,b`},
		{`element(split(":", "arn:aws:iam"), 1)`, `aws`},
		{`cidrsubnet("10.0.0.0/16", 8, 2)`, `10.0.2.0/24`},
		{`base64encode("hi")`, `aGk=`},
		{`provider::aws::arn_build("aws", "iam", "", "123456789012", "role/x")`, `arn:aws:iam::123456789012:role/x`},
		{`provider::aws::arn_parse("arn:aws:s3:::b").service`, `s3`},
		{`provider::aws::trim_iam_role_path("arn:aws:iam::1:role/a/b/r")`, `arn:aws:iam::1:role/r`},
		{`join(",", [for k, v in transpose({a = ["x"], b = ["x"]}) : "${k}=${join("+", v)}"])`, `x=a+b`},
		{`tostring(sensitive("s"))`, `s`},
	}
	for _, tt := range tests {
		e, diags := hclsyntax.ParseExpression([]byte(tt.expr), "test.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		v, diags := e.Value(ctx)
		if diags.HasErrors() {
			t.Errorf("%s: %v", tt.expr, diags)
			continue
		}
		var got string
		switch v.Type() {
		case cty.String:
			got = v.AsString()
		case cty.Number:
			got = v.AsBigFloat().Text('f', -1)
		case cty.Bool:
			got = "false"
			if v.True() {
				got = "true"
			}
		}
		if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.expr, got, tt.want)
		}
	}
	// What Terraform only knows when applying is unknown.
	for _, expr := range []string{`timestamp()`, `uuid()`, `bcrypt("x")`} {
		e, _ := hclsyntax.ParseExpression([]byte(expr), "test.tf", hcl.InitialPos)
		if v, _ := e.Value(ctx); v.IsKnown() {
			t.Errorf("%s is known: %#v", expr, v)
		}
	}
}
