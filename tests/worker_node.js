/*
 * Runs the search worker's own file (docs/javascripts/paper-search-worker.js), whole and
 * unchanged, in Node against a built site: the stand-ins below are the few things a
 * browser gives a worker (importScripts, fetch of the site's files, postMessage).
 *
 *   node tests/worker_node.js SITE_DIR LUNR_JS < questions.json > answers.json
 *
 * Each question is {"find": {...}} (the Search page's message, answered by "found") or
 * {"query": "text"} (the header box's, answered by its final RESULT). Answers come back
 * in order, one per question. Used by tests/worker_js.py and benchmarks/relevance.
 * With WORKER_FETCHED=1 in the environment each answer also lists, as `fetched`, the
 * site files the worker asked for since the answer before it (the first: since it started).
 */
"use strict"
const fs = require("fs")
const path = require("path")
const vm = require("vm")

const [site, lunrFile] = process.argv.slice(2)
const scripts = path.join(site, "javascripts")
const questions = JSON.parse(fs.readFileSync(0, "utf8"))

let handler = null
let waiting = null
let fetched = []
const context = {
  console, Map, Set, Promise, Uint8Array, Blob, Response, DecompressionStream, URL,
  setTimeout, clearTimeout, queueMicrotask,
  addEventListener: (type, fn) => { if (type === "message") handler = fn },
  postMessage: message => { if (waiting) waiting(message) },
  fetch: async url => {
    fetched.push(String(url).replace(/^\.\.\//, ""))
    const file = path.join(site, String(url).replace(/^\.\.\//, ""))
    if (!fs.existsSync(file)) return new Response(null, { status: 404 })
    return new Response(fs.readFileSync(file))
  },
  importScripts: name => {
    const file = name.endsWith("lunr.js") ? lunrFile : path.join(scripts, name)
    vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file })
  }
}
context.self = context
vm.createContext(context)
const worker = path.join(scripts, "paper-search-worker.js")
vm.runInContext(fs.readFileSync(worker, "utf8"), context, { filename: worker })

function ask(message, done) {
  return new Promise(resolve => {
    waiting = m => {
      if (!done(m)) return
      waiting = null
      if (process.env.WORKER_FETCHED) m = { ...m, fetched }
      fetched = []
      resolve(m)
    }
    handler({ data: message })
  })
}

;(async () => {
  await ask({ type: 0, data: { config: {}, docs: [] } }, m => m.type === 1)
  const answers = []
  let id = 0
  for (const q of questions) {
    if (q.find) {
      id += 1
      answers.push(await ask({ type: "find", id, ...q.find }, m => m.type === "found" && m.id === id))
    } else {
      answers.push(await ask({ type: 2, data: q.query }, m => m.type === 3 && m.query === q.query && m.final))
    }
  }
  process.stdout.write(JSON.stringify(answers))
})()
