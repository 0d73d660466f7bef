// Parses Mermaid files with Mermaid's own parser and fails on the first
// error. Used by scripts/mermaid-check; run from this directory after
// `npm ci`:
//
//   node check.mjs FILE.mmd ...
//
// Before the files it parses two diagrams that Mermaid must reject, so a
// parser that accepts anything cannot pass the check unnoticed.
import { readFileSync } from 'node:fs'
import { JSDOM } from 'jsdom'

// Mermaid sanitises labels with DOMPurify, which needs a DOM.
const dom = new JSDOM('<!doctype html><html><body></body></html>')
globalThis.window = dom.window
globalThis.document = dom.window.document
const { default: mermaid } = await import('mermaid')

async function parse(text) {
  try {
    await mermaid.parse(text)
    return null
  } catch (e) {
    return String(e && e.message ? e.message : e)
  }
}

const mustFail = {
  'unclosed label': 'flowchart LR\n  n1["user dana] --> n2\n',
  'linkStyle past the last edge': 'flowchart LR\n  n1 --> n2\n  linkStyle 3 stroke:#d93025\n',
}
for (const [name, text] of Object.entries(mustFail)) {
  if ((await parse(text)) === null) {
    console.error(`mermaid-check: the parser accepted an invalid diagram (${name}); the check would prove nothing`)
    process.exit(1)
  }
}

let failed = 0
const files = process.argv.slice(2)
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  if (!/^\s*(%%[^\n]*\n\s*)*flowchart /.test(text)) {
    console.error(`mermaid-check: FAIL ${file}: not a flowchart`)
    failed++
    continue
  }
  const err = await parse(text)
  if (err !== null) {
    console.error(`mermaid-check: FAIL ${file}:\n${err}`)
    failed++
  }
}
const version = JSON.parse(readFileSync(new URL('./node_modules/mermaid/package.json', import.meta.url), 'utf8')).version
console.log(`mermaid-check: mermaid ${version} parsed ${files.length} files`)
console.log(`mermaid-check: ${files.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
