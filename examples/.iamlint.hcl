# iamlint configuration of the examples.
#
# examples/rego holds custom Rego rules and the fixture folders their tests
# run on (iamlint rules test examples/rego): test inputs, not the examples'
# IAM. Run the rules on the examples with
#   iamlint check --rules examples/rego examples
exclude = ["rego/fixtures"]
