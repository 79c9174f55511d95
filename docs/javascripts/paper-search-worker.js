/*
 * Paper Catalogue search worker.
 *
 * Material's search box talks to a Web Worker (SETUP -> READY, QUERY -> RESULT).
 * This worker speaks the same messages, but instead of building a lunr index of
 * every page in the browser on every page load (1.1 s at 720 papers, minutes at
 * 50,000), it loads an index of papers prebuilt at build time by lunr.py
 * (generator/search.py) and builds a small one of the site's other pages from
 * what Material sends. The browse page (find.js) asks it "find" questions with
 * tag and listing filters.
 *
 * Text is folded exactly as generator/textfold.py:search_fold does at build time
 * (a test checks the two agree): NFKC, lower case, Greek letters spelled out,
 * accents off, punctuation to spaces. "μP" finds u-μP, "Schrödinger" and
 * "schrodinger" are the same query.
 */
"use strict"

try {
  importScripts("../assets/vendor/lunr.js")
} catch (err) {
  /* The page went away mid-load, or the file is missing: answer with nothing */
  console.warn("lunr.js could not be loaded:", err)
}
const available = typeof lunr !== "undefined"

/* Material's message types */
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
const MAX_RESULTS = 100
const MIN_PREFIX = 3 /* "s*" at 50k papers costs seconds: prefixes from 3 letters */
const COMMON = 0.25 /* share of documents from which a word is too common to search for */

const GREEK = {
  "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
  "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
  "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
  "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "µ": "mu"
}
const GREEK_RE = new RegExp(`[${Object.keys(GREEK).join("")}]`, "g")

function fold(text) {
  return text.normalize("NFKC").toLowerCase()
    .replace(GREEK_RE, c => GREEK[c])
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}_\s-]+/gu, " ")
}

/* Query words: folded, split like lunr splits, stop words dropped */
function words(query) {
  return fold(query).split(lunr.tokenizer.separator)
    .filter(w => w && lunr.stopWordFilter(new lunr.Token(w, {})) !== undefined)
}

function stem(word) {
  return lunr.stemmer(new lunr.Token(word, {})).toString()
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"
  })[c])
}

/* The text as HTML, its words that start with a query stem wrapped in <mark>. Matched
   on the text, then escaped piece by piece: matching the escaped HTML would find "lt"
   inside "&lt;" and break the entity */
function highlight(text, stems) {
  if (!stems.length) return escapeHTML(text)
  const alternatives = stems.map(s => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])((?:${alternatives})[\\p{L}\\p{N}]*)`, "giu")
  let html = "", done = 0
  for (const match of text.matchAll(pattern)) {
    const start = match.index + match[1].length
    html += `${escapeHTML(text.slice(done, start))}<mark>${escapeHTML(match[2])}</mark>`
    done = start + match[2].length
  }
  return html + escapeHTML(text.slice(done))
}

/* ------------------------------------------------------------------------- */

let papers = null           /* lunr.Index of papers */
let meta = null             /* { tags, listings, papers: [[url, title, tags, listings, snippet]] } */
let pages = null            /* lunr.Index of the site's other pages */
let pageDocs = new Map()    /* location -> Material's document */

let urls = { tags: {} }     /* where the build put the pages scripts link to */

const papersLoaded = Promise.all([
  fetch("../search/papers.index.json").then(r => r.json()),
  fetch("../search/papers.meta.json").then(r => r.json()),
  fetch("../search/urls.json").then(r => r.json())
]).then(([index, data, where]) => {
  papers = Object.keys(index).length ? lunr.Index.load(index) : null
  meta = data
  urls = where
}).catch(err => {
  console.warn("Paper search index could not be loaded:", err)
  meta = { tags: [], listings: [], papers: [] }
})

function setupPages(docs) {
  if (!available) return
  for (const doc of docs) pageDocs.set(doc.location, doc)
  pages = lunr(function () {
    this.ref("location")
    this.field("title", { boost: 10 })
    this.field("text")
    for (const doc of docs)
      this.add({ location: doc.location, title: doc.title, text: doc.text.replace(/<[^>]+>/g, " ") })
  })
}

/* How many documents contain a (stemmed) term, in any field; cached per index */
const frequencies = new WeakMap()
function documentFrequency(index, term) {
  if (!frequencies.has(index)) frequencies.set(index, new Map())
  const cache = frequencies.get(index)
  if (!cache.has(term)) {
    const posting = index.invertedIndex[term]
    const docs = new Set()
    if (posting)
      for (const [field, refs] of Object.entries(posting))
        if (field !== "_index") for (const ref of Object.keys(refs)) docs.add(ref)
    cache.set(term, docs.size)
  }
  return cache.get(term)
}

/*
 * Run one query against an index: stemmed words, plus a prefix for the last word
 * while it is not yet a word of the index ("mixtu" -> mixture). A word in more
 * than a quarter of the documents ("model") says little next to rarer ones and
 * costs most (lunr scores every document a term matches: 400 ms at 50,000 papers),
 * so it is dropped when the query has rarer words.
 */
function run(index, query) {
  if (!available) return { list: [], hits: [], used: [] }
  const list = words(query)
  if (!index || !list.length) return { list, hits: [], used: list }
  const size = Object.keys(index.fieldVectors).length / Math.max(index.fields.length, 1)
  const df = list.map(word => documentFrequency(index, stem(word)))
  const rare = list.filter((_, i) => df[i] <= COMMON * size)
  const used = rare.length ? rare : [list[df.indexOf(Math.min(...df))]]
  const last = list[list.length - 1]
  const hits = index.query(q => {
    for (const word of used) q.term(word, { usePipeline: true, boost: 10 })
    if (last.length >= MIN_PREFIX && documentFrequency(index, stem(last)) === 0)
      q.term(last, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING })
  })
  return { list, hits, used }
}

/* Which query words a hit matched (Material shows the missing ones struck out);
   a word dropped as too common counts as matched: it is in most documents anyway */
function matchedTerms(hit, { list, used }) {
  const found = Object.keys(hit.matchData.metadata)
  const terms = {}
  list.forEach((word, i) => {
    const s = stem(word)
    terms[word] = !used.includes(word) ||
      found.some(t => t === s || (i === list.length - 1 && t.startsWith(word)))
  })
  return terms
}

function tagChips(tags) {
  if (!tags.length) return ""
  const chips = tags.map(t => `<span class="md-tag">${escapeHTML(meta.tags[t])}</span>`)
  return `<div class="md-tags">${chips.join(" ")}</div>`
}

function paperItem(hit, result) {
  const [url, title, tags, , snippet] = meta.papers[Number(hit.ref)]
  const stems = result.list.map(stem)
  return {
    location: url,
    title: highlight(title, stems),
    /* Tags ride in the text, not in Material's `tags`: Material would put each result's
       tags in an unnamed <nav>, one landmark per result that a screen reader lists */
    text: `<p>${highlight(snippet, stems)}</p>` + tagChips(tags),
    score: hit.score,
    terms: matchedTerms(hit, result)
  }
}

function pageGroups(query) {
  const result = run(pages, query)
  const groups = new Map()
  for (const hit of result.hits) {
    const page = hit.ref.split("#")[0]
    if (!groups.has(page)) groups.set(page, [])
    const doc = pageDocs.get(hit.ref)
    groups.get(page).push({
      location: doc.location, title: escapeHTML(doc.title),
      text: doc.text, score: hit.score, terms: matchedTerms(hit, result)
    })
  }
  return [...groups.entries()].map(([page, items]) => {
    if (!items.some(i => i.location === page) && pageDocs.has(page)) {
      const doc = pageDocs.get(page)
      items.unshift({ location: page, title: escapeHTML(doc.title), text: "", score: items[0].score, terms: items[0].terms })
    }
    return items
  })
}

function search(query) {
  const result = run(papers, query)
  const paperGroups = result.hits.slice(0, MAX_RESULTS).map(hit => [paperItem(hit, result)])
  /* Site pages whose title matches lead; other page hits follow the papers */
  const groups = pageGroups(query)
  const wanted = fold(query).trim()
  const strong = groups.filter(g => {
    const page = pageDocs.get(g[0].location.split("#")[0])
    return wanted && page && fold(page.title).includes(wanted)
  })
  const weak = groups.filter(g => !strong.includes(g))
  return { items: [...strong, ...paperGroups, ...weak] }
}

/* The browse page: a query and/or filters, full records back */
function find({ query, tag, listing, limit }) {
  const tagIndex = tag ? meta.tags.indexOf(tag) : -1
  const listingIndex = listing ? meta.listings.findIndex(l => l.name === listing) : -1
  const keep = i => {
    const [, , tags, listings] = meta.papers[i]
    return (!tag || tags.includes(tagIndex)) && (!listing || listings.includes(listingIndex))
  }
  let refs, list = []
  if (available && query && words(query).length) {
    const result = run(papers, query)
    list = result.list
    refs = result.hits.map(h => [Number(h.ref), h.score]).filter(([i]) => keep(i))
  } else {
    refs = meta.papers.map((_, i) => [i, 0]).filter(([i]) => keep(i))
    refs.sort((a, b) => meta.papers[a[0]][1].localeCompare(meta.papers[b[0]][1]))
  }
  const stems = list.map(stem)
  return {
    total: refs.length,
    items: refs.slice(0, limit || MAX_RESULTS).map(([i, score]) => {
      const [url, title, tags, listings, snippet] = meta.papers[i]
      return {
        url, score,
        title: highlight(title, stems),
        snippet: highlight(snippet, stems),
        tags: tags.map(t => meta.tags[t]),
        listings: listings.map(l => meta.listings[l].name)
      }
    })
  }
}

addEventListener("message", async ev => {
  const message = ev.data
  switch (message.type) {
    case SETUP:
      setupPages(message.data.docs || [])
      await papersLoaded
      postMessage({ type: READY })
      break
    case QUERY:
      /* Each answer names the query it answers (Material ignores the extra key): answers
         to earlier keystrokes can be told from the answer to the whole query */
      try {
        postMessage({ type: RESULT, data: search(message.data), query: message.data })
      } catch (err) {
        console.warn(`Search failed for ${message.data}:`, err)
        postMessage({ type: RESULT, data: { items: [] }, query: message.data })
      }
      break
    case "find":
      await papersLoaded
      postMessage({
        type: "found", id: message.id, ...find(message),
        vocabulary: { tags: meta.tags, listings: meta.listings, tagUrls: urls.tags }
      })
      break
  }
})
