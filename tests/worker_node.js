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
 * With WORKER_TIMELINE=1 each answer also has `timeline` (benchmarks/search_bench.py):
 * `roundTrips` to its first answer with results and to the final one (the longest chain
 * of fetches each started once the one before it had come back), the times of both
 * (ms), and the process's CPU time (ms) until the final one: all from the question (the
 * first: from the worker's start, its head and scripts included). WORKER_LATENCY=ms
 * delays each fetch's answer by that much (a network's round trip; default 1, so the
 * fetches started together come back after all of them have started).
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
const timed = Boolean(process.env.WORKER_TIMELINE)
const latency = Number(process.env.WORKER_LATENCY || 1)
let depth = 0 /* the longest chain of fetches come back so far */
let since = { at: performance.now(), cpu: process.cpuUsage(), depth: 0 }
const context = {
  console, Map, Set, Promise, Uint8Array, Blob, Response, DecompressionStream, URL,
  setTimeout, clearTimeout, queueMicrotask,
  addEventListener: (type, fn) => { if (type === "message") handler = fn },
  postMessage: message => { if (waiting) waiting(message) },
  fetch: async url => {
    fetched.push(String(url).replace(/^\.\.\//, ""))
    if (timed) {
      const chain = depth + 1
      await new Promise(resolve => setTimeout(resolve, latency))
      depth = Math.max(depth, chain)
    }
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

/* The answer to `message` that `done` accepts. The time since the answer before it (the
   first: since the worker's start) is a question's, not the setup's: ready is no answer */
function ask(message, done, question = true) {
  let results = null
  return new Promise(resolve => {
    waiting = m => {
      const mark = { roundTrips: depth - since.depth, ms: performance.now() - since.at }
      if (!results && m.type === 3 && m.data.items.length) results = mark
      if (!done(m)) return
      waiting = null
      if (process.env.WORKER_FETCHED) m = { ...m, fetched }
      if (timed && question) {
        const cpu = process.cpuUsage(since.cpu)
        const cpuMs = (cpu.user + cpu.system) / 1000
        m = { ...m, timeline: { results: results || mark, final: mark, cpuMs } }
      }
      fetched = []
      if (question) since = { at: performance.now(), cpu: process.cpuUsage(), depth }
      resolve(m)
    }
    handler({ data: message })
  })
}

;(async () => {
  await ask({ type: 0, data: { config: {}, docs: [] } }, m => m.type === 1, false)
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
