d = "from-var-file"
e = "from-var-file"
g = { env = "prod" }
