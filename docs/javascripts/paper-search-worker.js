/*
 * Paper Catalogue search worker.
 *
 * Material's search box talks to a Web Worker (SETUP -> READY, QUERY -> RESULT).
 * This worker speaks the same messages (their types and shapes are in
 * material-search-protocol.js, the one file that knows them), but instead of
 * building a lunr index of every page in the browser on every page load (1.1 s at
 * 720 papers, minutes at 50,000), it loads an index of papers prebuilt at build
 * time (generator/search.py) and builds a small one of the site's other pages from
 * what Material sends. The
 * browse page (find.js) asks it "find" questions with tag and listing filters.
 *
 * The paper index comes in tiers: search/papers.json.gz (titles and tags, and what a
 * result shows) answers first; the abstracts are in shards cut by term range,
 * fetched when a query word needs one, and the results' snippets in files fetched
 * for the papers shown. An answer given before its shards arrived is refined once
 * they do: the papers already shown keep their places, new ones come below.
 *
 * A big catalogue's index is split further (generator/export/search.py:_split_index):
 * papers.json.gz is only a head, every field's postings are in the term shards, what a
 * result shows comes in small "card" files fetched for the results shown, each tag,
 * listing and year has a file of its papers (a tag's is also fetched for a quoted
 * phrase its name has), the positions files carry the titles' places too, and a word
 * that matches nothing fetches the term dictionary to find the nearest term's shard
 * (and, like the whole layout, the known-words file its place falls in, from the
 * head's table). There is no early answer from part of the index: the first answer
 * is the first page of the whole ranking, sent once its cards are here, then all of it.
 *
 * Each query word is matched on its own, so the ranking can put papers with every
 * word first; a word that matches nothing is retried with one or two typos allowed
 * (lunr's edit distance), and the answer says what was searched instead, unless the
 * word is an English one (the known-words files list those near a catalogue word):
 * then it is offered ("did you mean"), never searched in its place. A word in quotes
 * is searched as typed; words quoted together are a phrase, found where they stand
 * side by side (title, a tag name, or the abstract's positions file); a word after a
 * minus excludes. Model and version names ("GPT-4", "Llama 3.1", "Qwen2.5") are one
 * word, as in the index; a later version ("GPT-3.5" for "GPT-3") is found after them.
 *
 * Text is folded exactly as generator/textfold.py:search_fold does at build time
 * (a test checks the two agree): NFKC, lower case, Greek letters spelled out,
 * accents off, punctuation to spaces, British spellings as American (rules from
 * the index itself). "μP" finds u-μP, "Schrödinger" and "schrodinger" are the same
 * query, and so are "quantisation" and "quantization".
 */
"use strict"

/* SearchProtocol: Material's messages, types and result shapes (same origin, same folder) */
importScripts("material-search-protocol.js")

try {
  importScripts("../assets/vendor/lunr.js")
} catch (err) {
  /* The page went away mid-load, or the file is missing: answer with nothing */
  console.warn("lunr.js could not be loaded:", err)
}
const available = typeof lunr !== "undefined"

const MAX_RESULTS = 100
const MIN_PREFIX = 3 /* "s*" at 50k papers costs seconds: prefixes from 3 letters */
const COMMON = 0.25 /* share of documents from which a word is too common to search for */
const TYPO_FROM = 4 /* letters from which a word that matches nothing may have a typo... */
const TWO_TYPOS_FROM = 8 /* ...and from which it may have two */
const FEW = 2 /* a word matching this few papers gets a "did you mean" if a near word has... */
const MANY = 10 /* ...this many times more */
const SNIPPETS_SHOWN = 10 /* results whose snippets an answer waits for: Material's first page */

const GREEK = {
  "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
  "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
  "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
  "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "µ": "mu"
}
const GREEK_RE = new RegExp(`[${Object.keys(GREEK).join("")}]`, "g")

/* British/American spelling rules, as generator/spelling.json states them (they come
   with the index: see useSpelling) */
let SPELLING = []

function useSpelling(rules) {
  SPELLING = rules.map(rule => ({
    pattern: new RegExp(rule.pattern),
    except: rule.except ? new RegExp(rule.except) : null,
    map: rule.map || null,
    to: rule.to || null
  }))
}

function spellWord(word) {
  for (const rule of SPELLING) {
    const match = rule.pattern.exec(word)
    if (!match) continue
    if (rule.map) return rule.map[word]
    if (rule.except && rule.except.test(match[1])) return word
    return word.replace(rule.pattern, rule.to)
  }
  return word
}

function fold(text) {
  return text.normalize("NFKC").toLowerCase()
    .replace(GREEK_RE, c => GREEK[c])
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}_\s.-]+|(?<![0-9])\.|\.(?![0-9])/gu, " ")
    .replace(/[a-z]+/g, spellWord)
}

/* Model and version names as one word, as generator/text/fold.py:version_tokens makes
   them: "gpt-4" -> "gpt4", "llama 3.1" -> "llama3.1" (after a space only for a name
   the catalogue writes joined to a version: NAMES, from the index); a version has no
   two letters in a row, so "bert2bert" is one word, not BERT (fold.py). The index
   (`index` true) keeps the words indexedVersion gives; a query keeps the name as one */
let NAMES = new Set()
const VERSIONED = /(?<![\p{L}\p{N}_.])([a-z]+)([ -]?)([0-9](?:[0-9]|[a-z](?![a-z]))*(?:\.[0-9](?:[0-9]|[a-z](?![a-z]))*)*)(?![\p{L}\p{N}_.])/gu
function versions(text, index) {
  return text.replace(VERSIONED, (whole, name, space, version) => {
    if (space === " " && (!NAMES.has(name) || /^[0-9]{4,}$/.test(version))) return whole
    return index ? indexedVersion(name, space, version) : name + version
  })
}

/* The index's words for a model name (fold.py:indexed_version): the name, the name
   with its version, and the version alone where the text writes it apart ("7b" of
   "Mistral-7B"); never a shorter version ("gpt3" of "gpt3.5": another model) */
function indexedVersion(name, space, version) {
  return [name, name + version, ...(space ? [version] : [])].join(" ")
}

/* Whether a word is one more index word of the name at the current place: the name
   with a version ("llama3" after "llama"), or the version alone right after it ("7b"
   after "mistral7b"); as search.py:same_place counts for the abstracts */
function samePlace(name, last, word) {
  const versioned = word.startsWith(name) && /[0-9]/.test(word.charAt(name.length))
  return versioned || (last !== name && last === name + word)
}

/* A word's term, as lunr.py's stemmer made it at build time. lunr.js's Porter stemmer
   differs from lunr.py's in one step (1c, a final y): lunr.py turns it to i when the
   stem before it has a vowel ("decay" -> "decai", "fly" stays), lunr.js when a
   consonant comes before it ("decay" stays, "fly" -> "fli"). Without this "decay",
   "key" and "deploy" found nothing; a test compares every catalogue word's stem */
const stemmed = new Map()
function stem(word) {
  if (!stemmed.has(word)) {
    let term = lunr.stemmer(new lunr.Token(word, {})).toString()
    const consonantY = /^([^aeiouy]+y)(s|ed|ing)?$/.exec(word)
    if (/[aeiou]y(s|ed|ing)?$/.test(word) && /[aeiou]y$/.test(term)) term = term.slice(0, -1) + "i"
    else if (consonantY && term.endsWith("i")) term = consonantY[1]
    stemmed.set(word, term)
  }
  return stemmed.get(word)
}

/* A word without a regular English inflection (search.py:inflection, the same rule: a
   test runs both over every catalogue word): "images", "imaged", "imaging" and "image"
   are "imag", "studied" and "studies" are "study", "transferred" is "transfer", and
   "transformers" is "transformer", where lunr's stem of both "transformer" and
   "transformation" is "transform". What `-word` excludes, and what a paper must have
   of each typed word to have "every word" */
function inflection(word) {
  const length = [...word].length
  if ((word.endsWith("ies") || word.endsWith("ied")) && length > 4) return word.slice(0, -3) + "y"
  for (const ending of ["ing", "ed"])
    if (word.endsWith(ending) && length - ending.length >= 3) return undoubled(word.slice(0, -ending.length))
  if (word.endsWith("s") && !word.endsWith("ss") && length > 3) word = word.slice(0, -1)
  if (word.endsWith("e") && [...word].length > 3) word = word.slice(0, -1)
  return undoubled(word)
}

/* A final doubled consonant as one (search.py:_undoubled): "transferr" of transferred,
   "add" and "adding" both "ad"; not ss, zz, nor ll in a short word (fill) */
function undoubled(word) {
  const last = word.slice(-1)
  const doubled = [...word].length > 3 && word.slice(-2, -1) === last &&
    "bcdfghjklmnpqrtvwxy".includes(last) && last !== "" && (last !== "l" || [...word].length > 5)
  return doubled ? word.slice(0, -1) : word
}

/* An excluded word and the terms its regular inflections fall in: lunr's stemmer parts
   some of them ("bias" is the term "bia"; biased, biases, biasing are "bias"), and an
   exclusion drops them all, and a typed word is had in any of them. `keys`: what
   `inflection` leaves of the word's inflections (the typed word's, the word itself:
   biased -> "bias", and its plural); a variant counts only if `inflection` takes it
   back to one of them, so a made-up form (machine -> "maching") adds no term. */
function inflectedTerms(word) {
  const w = word.word
  /* its plural is had whatever the word's length ("QAs"; `inflection` leaves a word of
     three letters whole, so "gas" is not "ga"); -es after a hiss (biases), not after a
     two-letter acronym ("MS" is not "MSE") */
  const plural = /..(s|x|z|ch|sh)$/.test(w) ? w + "es" : w + "s"
  const keys = new Set([inflection(w), w, inflection(plural)])
  const variants = [plural, w + "ed", w + "ing"]
  if (w.endsWith("e")) variants.push(w + "d", w.slice(0, -1) + "ing")
  if (w.endsWith("y")) variants.push(w.slice(0, -1) + "ies", w.slice(0, -1) + "ied")
  /* "faced" is "fac" + ed as written, but lunr's stemmer reads it as face + d, another
     word ("FAC" is not "face"): a variant in the term of the word with an e added is
     that word's, unless the typed word ends in s, whose own term lost it ("bia") */
  const other = /[^s]s$/.test(w) ? null : stem(w + "e")
  const terms = [{ ...word, keys }]
  for (const variant of variants) {
    const term = stem(variant)
    if (keys.has(inflection(variant)) && !terms.some(t => t.stem === term) && term !== other)
      terms.push({ word: variant, stem: term, keys })
  }
  return terms
}

/* A query word with what a paper must have of it to have "every word": the word or a
   regular inflection of it (`keys`, as inflectedTerms finds them, the same rule an
   exclusion drops by), and the terms lunr's stemmer parts those inflections into
   besides the word's own (`variants`: "bias" is the term "bia", biased and biases are
   "bias"), searched with it. A paper with only another word of the stem ("translate"
   for "translation") is still found, among the papers with some of the words (DERIVED) */
function typed(word) {
  const [own, ...others] = inflectedTerms(word)
  return { ...word, keys: own.keys, variants: others.map(t => t.stem) }
}

const isStopWord = word => lunr.stopWordFilter(new lunr.Token(word, {})) === undefined

/* The query's words: folded, split as lunr splits, stop words dropped. A word typed in
   quotes ("difusion") is verbatim: no typo allowance, no prefix; words quoted together
   ("weight decay") are a phrase: found only where they stand side by side. A word
   after a minus (-image) excludes the papers that have it: those are in
   `list.excluded`, not in the list */
function words(text) {
  return versions(fold(text), false).split(lunr.tokenizer.separator)
    .filter(word => word && !isStopWord(word)).map(word => ({ word, stem: stem(word) }))
}

function parse(query) {
  const list = []
  list.excluded = []
  query.split(/["“”]/).forEach((piece, i) => {
    if (i % 2 === 1) {
      const quoted = words(piece)
      const phrase = quoted.length > 1 ? i : null
      for (const w of quoted) list.push(phrase === null ? typed({ ...w, verbatim: true, phrase })
        : { ...w, verbatim: true, phrase })
      return
    }
    const kept = piece.replace(/(^|\s)-([^\s-]\S*)/g, (_, space, excluded) => {
      for (const w of words(excluded)) list.excluded.push(...inflectedTerms(w))
      return space
    })
    for (const w of words(kept)) list.push(typed({ ...w, verbatim: false, phrase: null }))
  })
  return list
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"
  })[c])
}

/* fold() of a word of a result's text, kept: the results of a query fold the same
   words again and again (folding was most of an answer's time at 20,000 papers:
   benchmarks/README.md, "Round 8"); the spelling rules are set before any is kept */
const foldedWords = new Map()
function foldWord(word) {
  let folded = foldedWords.get(word)
  if (folded === undefined) {
    if (foldedWords.size >= 100000) foldedWords.clear()
    foldedWords.set(word, folded = fold(word))
  }
  return folded
}

/* The text as HTML, its words whose folded stem starts with a query term wrapped in
   <mark>: "Schrödinger" and "quantisation" are marked for "schrodinger" and
   "quantization", and "GPT-4" or "Llama 3" whole for "gpt4" and "llama3" (a name and
   its version, as `versions` joins them). Each word is matched on the text, then
   escaped piece by piece: matching the escaped HTML would find "lt" inside "&lt;" and
   break the entity */
const NAME_OR_WORD = /\p{L}+[ -]?[0-9][\p{L}\p{N}]*(?:\.[0-9][\p{L}\p{N}]*)*|[\p{L}\p{N}]+/gu
function highlight(text, stems) {
  if (!stems.length) return escapeHTML(text)
  const hit = w => stems.some(s => stem(w).startsWith(s) || w.startsWith(s))
  let html = "", done = 0
  for (const match of text.matchAll(NAME_OR_WORD)) {
    const joined = versions(foldWord(match[0]), false).trim()
    const spans = joined && !/\s/.test(joined) && /[0-9]/.test(joined) && hit(joined)
      ? [[match.index, match[0]]]
      : [...match[0].matchAll(/[\p{L}\p{N}]+/gu)].map(m => [match.index + m.index, m[0]])
        .filter(([, word]) => foldWord(word).split(/\s+/).filter(Boolean).some(hit))
    for (const [at, word] of spans) {
      html += `${escapeHTML(text.slice(done, at))}<mark>${escapeHTML(word)}</mark>`
      done = at + word.length
    }
  }
  return html + escapeHTML(text.slice(done))
}

/* ----------------------------------------------------------------- the paper index */

let meta = null             /* search/papers.json.gz: papers, tags, listings, file table */
let first = null            /* tier one: titles and tags */
const shards = new Map()    /* abstract shards by file: Promise of a tier */
const snippetFiles = new Map() /* snippet files by number: Promise of a list */
let urls = { tags: {} }     /* where the build put the pages scripts link to */
let pages = null            /* lunr.Index of the site's other pages */
let pageDocs = new Map()    /* location -> Material's document */

/* A tier file's index (the build sends each posting once: term, papers as gaps,
   weights), read one term at a time: a term's papers and weights are decoded when a
   query first asks for it. lunr's own form of it (lunr.Index.load: every paper's field
   vectors and a token set of every term, built for the whole file) and lunr's query
   over it cost most of a first answer at 20,000 papers, for the few terms a query has
   (benchmarks/README.md, "Round 8"); the papers and weights are the same (a test checks
   them against lunr.py's whole index). The token set is made only for a typo's near terms */
function loadTier(data) {
  const { fields, terms, postings } = data
  const numbers = new Map(terms.map((term, t) => [term, t]))
  const decoded = new Map()
  let tokens = null
  const index = {
    fields, terms,
    has: term => numbers.has(term),
    /* { field: { docs (ascending), weights } } of the fields that have the term */
    posting(term) {
      const t = numbers.get(term)
      if (t === undefined) return undefined
      if (!decoded.has(t)) {
        const posting = {}
        for (const [f, gaps, weights] of postings[t]) {
          const docs = new Array(gaps.length)
          let doc = 0
          for (let k = 0; k < gaps.length; k++) docs[k] = doc += gaps[k]
          posting[fields[f]] = { docs, weights }
        }
        decoded.set(t, posting)
      }
      return decoded.get(t)
    },
    /* the terms as lunr's token set (lunr.Index.load makes the same one, in this order) */
    tokenSet: () => tokens || (tokens = lunr.TokenSet.fromArray(terms))
  }
  /* the word each term stands for (what a "did you mean" names) */
  const words = { get: term => (numbers.has(term) ? data.words[numbers.get(term)] || term : undefined) }
  /* a term shard's terms written in more than one inflection, by the number of the
     forms file that lists each (the shard has each file's as gaps of term numbers) */
  let inflected = null
  if (data.forms) {
    inflected = new Map()
    data.forms.forEach((run, k) => {
      let at = 0
      for (const gap of run) inflected.set(terms[at += gap], k)
    })
  }
  return { index, words, inflected }
}

/* A known-words file: English words near a term of its shard's range that the
   catalogue lacks ("kennel", near "kernel"), never corrected */
const loadKnown = data => ({ known: new Set(data) })

/* A data file; the search tiers are gzip files (".gz"), inflated here. A server that
   sent one with Content-Encoding: gzip has inflated it already: JSON never starts
   with gzip's magic bytes, so they tell the two apart. */
const fetchJSON = path => fetch(`../${path}`).then(async r => {
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`)
  if (!path.endsWith(".gz")) return r.json()
  const bytes = new Uint8Array(await r.arrayBuffer())
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Response(bytes).json()
  const text = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))
  return new Response(text).json()
})

const papersLoaded = Promise.all([fetchJSON("search/papers.json.gz"), fetchJSON("search/urls.json")])
  .then(([data, where]) => {
    meta = data
    urls = where
    useSpelling(data.fold || [])
    NAMES = new Set(data.names || [])
    if (available && data.index && data.index.terms.length) first = loadTier(data.index)
  }).catch(err => {
    console.warn("Paper search index could not be loaded:", err)
    meta = { tags: [], listings: [], papers: [], shards: [], snippets: { per: 1, files: [] } }
  })

/* A positions file: each term's places in each abstract, in its postings' order */
function loadPositions(data) {
  const places = new Map(), titles = new Map()
  data.terms.forEach((term, t) => places.set(term, data.positions[t]))
  if (data.titles) data.terms.forEach((term, t) => titles.set(term, data.titles[t]))
  return { places, titles }
}

/* A forms file: which inflections of a term's words each abstract (split: each title)
   has, as [inflections, bit masks in its postings' order] (search.py:_forms_file), for
   the terms the catalogue writes in more than one */
function loadForms(data) {
  const forms = new Map(), titleForms = new Map()
  data.terms.forEach((term, t) => {
    forms.set(term, data.abstract[t])
    if (data.titles) titleForms.set(term, data.titles[t])
  })
  return { forms, titleForms }
}

/* Where a term's shard is in the table of shards (search.py:term_order): terms of up to
   SHORT characters ("qa", "rl") have small shards of their own, before the others */
const SHORT = 2
const termOrder = term => ([...term].length > SHORT ? "1" : "0") + term

/* The abstract shard holding a term: the last one starting at or before it */
function shardOf(term) {
  const starts = meta.shards, key = termOrder(term)
  let lo = 0, hi = starts.length - 1
  if (hi < 0) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (termOrder(starts[mid][0]) <= key) lo = mid
    else hi = mid - 1
  }
  return lo
}

/* The shards a word needs: its stem's, for a prefix every shard its range touches,
   and for a model name's version those of its later versions ("llama3." for "llama3") */
function shardsFor(word, prefix) {
  const found = new Set(termShards(word))
  const range = start => {
    const lowest = shardOf(start), highest = shardOf(start + "\uffff")
    for (let i = Math.max(lowest, 0); i <= highest; i++) found.add(i)
  }
  if (prefix) range(word.word)
  if (hasVersion(word)) range(`${word.stem}.`)
  return [...found].map(i => meta.shards[i][1])
}

/* The shards of a word's terms: its stem's and its inflections' (`variants`) */
function termShards(word) {
  return [word.stem, ...(word.variants || [])].map(shardOf).filter(i => i >= 0)
}

const positionFile = file => file.replace("/text-", "/positions-")
const formsFile = (file, k) => file.replace("/text-", "/forms-").replace(".json.gz", `-${k}.json.gz`)

/* The known-words file that would list a term: the last one starting at or before it */
function knownFile(term) {
  const starts = meta.known || []
  let lo = 0, hi = starts.length - 1
  if (hi < 0 || starts[0][0] > term) return null
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid][0] <= term) lo = mid
    else hi = mid - 1
  }
  return starts[lo][1]
}

const loaderOf = file =>
  file.includes("/positions-") ? loadPositions : file.includes("/known-") ? loadKnown
    : file.includes("/forms-") ? loadForms : loadTier

/* A search file fetched once and kept in `loaded` under `key` (a Promise of what `read`
   makes of it); one that fails to load is dropped, so the next query asks again, and
   gives null meanwhile */
function loadOnce(loaded, key, path, read, what) {
  if (!loaded.has(key))
    loaded.set(key, fetchJSON(path).then(read).catch(err => {
      console.warn(`${what} could not be loaded:`, err)
      loaded.delete(key)
      return null
    }))
  return loaded.get(key)
}

function shard(file) {
  return loadOnce(shards, file, file, loaderOf(file), `Search shard ${file}`)
}

function snippets(number) {
  return loadOnce(snippetFiles, number, meta.snippets.files[number], x => x, "Search snippets")
}

/* ------------------------------------------- the split layout (a big catalogue) */

const cardFiles = new Map() /* card files by number: Promise of a list */
let dictionary = null       /* the term dictionary: Promise of { terms, papers, set } */
const filterFiles = new Map() /* a filter's file: Promise of a Set of papers */

function paperCount() {
  return meta.papers ? meta.papers.length : meta.count || 0
}

function cards(number) {
  return loadOnce(cardFiles, number, meta.cards.files[number], x => x, "Search results")
}

/* A paper's [URL, title, tag numbers, listing numbers, byline(, date)]: from tier one,
   or (split) from its card, rebuilding the URL from the id */
function paperOf(doc) {
  if (meta.papers) return meta.papers[doc]
  const list = now(cards(Math.floor(doc / meta.cards.per)))
  const card = list ? list[doc % meta.cards.per] : ["", "", [], [], ""]
  return meta.url ? [meta.url[0] + card[0] + meta.url[1], ...card.slice(1)] : card
}

/* Whether the cards of `docs` are loaded (always, without cards); fetches nothing: a
   list's first page is fetched before the rest (search) */
function cardsReady(docs) {
  if (!meta.cards) return true
  return docs.every(d => {
    const number = Math.floor(d / meta.cards.per)
    return cardFiles.has(number) && now(cardFiles.get(number)) !== undefined
  })
}

/* Resolves once the cards of `docs` are loaded (peeked with now(), as snippetsFor does) */
function cardsFor(docs) {
  if (!meta.cards) return Promise.resolve()
  const loading = [...new Set(docs.map(d => Math.floor(d / meta.cards.per)))].map(cards)
  loading.forEach(now)
  return Promise.all(loading)
}

function terms() {
  if (!dictionary)
    dictionary = fetchJSON(meta.terms).then(data => {
      const papers = new Map(data.terms.map((t, i) => [t, data.papers[i]]))
      return { papers, set: lunr.TokenSet.fromArray(data.terms) }
    }).catch(err => {
      console.warn("Search terms could not be loaded:", err)
      dictionary = null
      return null
    })
  return dictionary
}

/* The papers of a filter (kind "tag", "listing" or "year"), as a Set */
function filterOf(kind, value) {
  const file = `search/${kind}-${value}.json.gz`
  if (!filterFiles.has(file))
    filterFiles.set(file, fetchJSON(file).then(gaps => {
      const docs = new Set()
      let doc = 0
      for (const gap of gaps) docs.add(doc += gap)
      return docs
    }).catch(err => {
      filterFiles.delete(file) /* asked again by the next search */
      throw err
    }))
  return filterFiles.get(file)
}

/* split: the papers that have a term too common to fetch the postings of (the head's
   `commonPapers`), as a tier-like { term, papers } (null if its file could not be
   loaded: the word then counts as it did before, in no paper) */
const commonFiles = new Map()
function commonPapers(term) {
  const file = meta.commonPapers && meta.commonPapers[term]
  if (!file) return Promise.resolve(null)
  return loadOnce(commonFiles, file, file, gaps => {
    const papers = new Set()
    let doc = 0
    for (const gap of gaps) papers.add(doc += gap)
    return { term, papers }
  }, `Search papers of ${term}`)
}

/* The shards of the terms a misspelt word would be read as (split: they are not all in
   the word's shard). A word that matches nothing is corrected to the index term near it
   with the most papers (matchWord); the dictionary says which that is, so only its
   shard is fetched. A word with a paper or two is only offered a "did you mean" from
   the shards loaded, as the whole layout offers it from what it has loaded (its tier
   one and the word's shard), not from every term. `null` while the dictionary is
   needed but not loaded */
function typoFiles(list, tiers, dict) {
  const files = new Set()
  for (const [i, word] of list.entries()) {
    if (word.verbatim || word.stem.length < TYPO_FROM || word.stem in meta.common) continue
    if (findsAny(word, tiers, i === list.length - 1)) continue
    if (!dict) return null
    const distances = word.stem.length >= TWO_TYPOS_FROM ? [1, 2] : [1]
    for (const distance of distances) {
      const automaton = lunr.TokenSet.fromFuzzyString(word.stem, distance)
      let best = null
      for (const term of dict.set.intersect(automaton).toArray()) {
        if (term === word.stem) continue
        const papers = dict.papers.get(term)
        if (!best || papers > best.papers || (papers === best.papers && term < best.term))
          best = { term, papers }
      }
      if (!best) continue
      files.add(meta.shards[shardOf(best.term)][1])
      break
    }
  }
  return files
}

/* Whether a word finds any paper in the tiers as matchWord first looks (its terms, or,
   the last word still being typed, a term it starts), without scoring them */
function findsAny(word, tiers, last) {
  const terms = [word.stem, ...(word.variants || [])]
  if (tiers.some(tier => terms.some(term => tier.index.has(term)))) return true
  const prefix = last && !word.verbatim && word.word.length >= MIN_PREFIX
  return prefix && tiers.some(tier => startingWith(tier, word.word).length > 0)
}

/* Loaded now, or null: what an answer that cannot wait uses */
const settled = new Map()
function now(promise) {
  if (!settled.has(promise)) {
    settled.set(promise, undefined)
    promise.then(value => settled.set(promise, value))
  }
  return settled.get(promise)
}

/* --------------------------------------------------------------------- matching */

/* Papers that have any of `terms` in one tier, with lunr's BM25 weights summed over
   the terms and fields each has (for one term, field by field in the index's order, as
   lunr's query metadata lists them), added to `into`. Summed here rather than taken
   from lunr's score, which divides by the query vector's length: a tier that knows
   fewer of the terms would score higher, and tiers are added up */
function matches(tier, terms, into) {
  const scores = new Map()
  for (const term of terms) {
    const posting = tier.index.posting(term)
    if (!posting) continue
    for (const field of tier.index.fields) {
      const list = posting[field]
      if (!list) continue
      const { docs, weights } = list
      for (let k = 0; k < docs.length; k++) scores.set(docs[k], (scores.get(docs[k]) || 0) + weights[k])
    }
  }
  for (const [doc, score] of scores) into.set(doc, (into.get(doc) || 0) + score)
  return into
}

/* The terms of a tier that a word still being typed starts, as lunr's trailing wildcard
   finds them */
function startingWith(tier, word) {
  return tier.index.terms.filter(t => t.startsWith(word))
}

/* Index terms within `distance` edits of a term, in the given tiers */
function near(tiers, term, distance) {
  const found = new Set()
  const automaton = lunr.TokenSet.fromFuzzyString(term, distance)
  for (const tier of tiers) for (const t of tier.index.tokenSet().intersect(automaton).toArray()) found.add(t)
  found.delete(term)
  return [...found]
}

/* A word that ends in a version number ("gpt3", "llama3"), not quoted: a model whose
   later versions ("gpt3.5", "llama3.1") are found after it (laterVersions) */
const hasVersion = word => !word.verbatim && /[a-z][0-9.]*[0-9]$/.test(word.stem)

/* Papers with a later version of a model name but not the name as typed: "gpt3.5" for
   "gpt3", "llama3.1" for "llama3". Another model, so not the word itself (the count
   of papers with every word leaves them out), but near it: they come after the
   papers that have it, as if they had half the word (LATER) */
const LATER = 0.5
/* Papers with another word of a typed word's stem but not the word or its regular
   inflections ("translate", "translational" for "translation"; lunr's stemmer joins
   them): found, but not counted as having the word, so after the papers that have it */
const DERIVED = 0.5
function laterVersions(word, tiers, found) {
  const later = new Map()
  if (!hasVersion(word)) return later
  for (const tier of tiers) matches(tier, startingWith(tier, `${word.stem}.`), later)
  for (const doc of found.keys()) later.delete(doc)
  return later
}

/* Every paper a word finds in the tiers, best guess first: its stem, then (last word,
   still being typed) what it starts, then (nothing found) the nearest common word */
function matchWord(word, tiers, last, complete, known) {
  const found = new Map()
  for (const term of [word.stem, ...(word.variants || [])])
    for (const tier of tiers) matches(tier, [term], found)
  const result = { word, found, prefix: false, corrected: null, suggested: null,
    later: laterVersions(word, tiers, found) }
  if (last && !word.verbatim && word.word.length >= MIN_PREFIX && !found.size) {
    for (const tier of tiers) matches(tier, startingWith(tier, word.word), found)
    result.prefix = found.size > 0
  }
  /* A word is corrected only once its shard is here (the abstracts may have it), and
     only if it is no English word: "title" is never searched as "vitl" */
  if (word.verbatim || word.stem.length < TYPO_FROM || found.size > FEW || !complete) return result
  const english = known.some(t => t.known.has(word.stem))
  /* the most common index term one typo away, or two for a long word */
  const distances = word.stem.length >= TWO_TYPOS_FROM ? [1, 2] : [1]
  for (const distance of distances) {
    let best = null
    for (const term of near(tiers, word.stem, distance)) {
      const papers = new Map()
      for (const tier of tiers) matches(tier, [term], papers)
      if (!best || papers.size > best.papers.size || (papers.size === best.papers.size && term < best.term))
        best = { term, papers }
    }
    if (!best) continue
    const name = tiers.map(t => t.words.get(best.term)).find(Boolean) || best.term
    if (!found.size && english) {
      result.suggested = name
    } else if (!found.size) {
      result.corrected = name
      for (const [doc, score] of best.papers) found.set(doc, score)
    } else if (best.papers.size >= MANY * found.size) {
      result.suggested = name
    }
    break
  }
  return result
}

/* The papers that have a term, in any field: from the tiers' postings, or (split, a
   term the head names as common) from its file of papers (commonPapers) */
function papersWith(term, tiers, commons) {
  const found = new Set()
  for (const file of commons) if (file.term === term) for (const doc of file.papers) found.add(doc)
  for (const tier of tiers) {
    const posting = tier.index.posting(term)
    if (posting) for (const field of tier.index.fields) for (const doc of posting[field] ? posting[field].docs : []) found.add(doc)
  }
  return found
}

/*
 * The papers a query finds, ranked: every word counts (a paper with all the words
 * comes before one with some), then lunr's BM25 score. A word in more than a
 * quarter of the papers ("model") says little next to rarer ones and costs most (at
 * 50,000 papers lunr scores every document a term matches), so it finds no papers
 * when the query has rarer words; it still counts: a paper the rarer words find has
 * every word only if it has that one too (the papers that have it are a set, cheap).
 */
function rank(list, loaded, complete = true) {
  const tiers = loaded.filter(t => t.index), places = loaded.filter(t => t.places)
  const known = loaded.filter(t => t.known), tagged = loaded.filter(t => t.tag !== undefined)
  const commons = loaded.filter(t => t.term !== undefined)
  if (!list.length || !tiers.length) return { list, ranked: [], all: 0, used: [], words: [], every: 0 }
  const size = paperCount()
  /* how many papers have each word's term (a paper in two tiers counts twice: an upper
     bound, and cheap: a common word is never queried, the costly part); a split
     index's head names the common terms, whose shards are then not fetched */
  const common = meta.common || {}
  const df = list.map(w => common[w.stem] || tiers.reduce((n, t) => n + postings(t.index, w.stem), 0))
  const rare = list.filter((w, i) => df[i] <= COMMON * size || w.phrase !== null)
  const kept = rare.length ? rare : [list[df.indexOf(Math.min(...df))]]
  let words = list.map((word, i) => kept.includes(word)
    ? matchWord(word, tiers, i === list.length - 1, complete, known)
    : { word, found: new Map(), prefix: false, corrected: null, suggested: null })
  words = phrases(words, tiers, places, tagged)
  const used = words.filter(w => w.phrase || kept.includes(w.word))
  /* the words too common to find papers by, and the papers that have each */
  for (const w of words) if (!used.includes(w)) w.has = papersWith(w.word.stem, tiers, commons)
  const counted = words.filter(w => used.includes(w) || w.has.size)
  const excluded = new Set()
  const forms = loaded.filter(t => t.forms)
  for (const word of list.excluded || []) for (const doc of excludedBy(word, tiers, forms)) excluded.add(doc)
  const docs = new Map()
  const add = (w, doc, score, count) => {
    if (excluded.has(doc)) return
    const seen = docs.get(doc) || { doc, count: 0, score: 0, words: [] }
    seen.count += count
    seen.score += score
    seen.words.push(w)
    docs.set(doc, seen)
  }
  for (const w of used) {
    const exact = inflectedPapers(w, tiers, forms)
    for (const [doc, score] of w.found) add(w, doc, score, !exact || exact.has(doc) ? 1 : DERIVED)
    for (const [doc, score] of w.later || []) add(w, doc, score, LATER)
  }
  /* A word no paper shares with another word of the query ("hacking" in "RLHF reward
     hacking": the papers with it are about a head-and-neck model) is off the query's
     topic where other words do meet: papers found by such words alone come after the
     papers with as many words that are on it */
  const together = new Set()
  for (const d of docs.values()) if (d.count > 1) for (const w of d.words) together.add(w)
  for (const d of docs.values()) d.topic = !together.size || d.words.some(w => together.has(w)) ? 1 : 0
  /* a paper with a common word too has more of the words than one without it */
  for (const w of counted) if (!used.includes(w)) for (const d of docs.values()) if (w.has.has(d.doc)) d.count += 1
  const ranked = [...docs.values()].sort((a, b) =>
    b.count - a.count || b.topic - a.topic || b.score - a.score || a.doc - b.doc)
  const every = counted.length
  const all = ranked.filter(d => d.count === every).length
  return { list, ranked, all, used, words, every }
}

/* The papers an excluded word drops: those with the word or an inflection of it
   ("-transformer": transformer, transformers), not every word lunr's stemmer makes the
   same term (transformation) */
function excludedBy(word, tiers, formFiles) {
  const keys = word.keys || new Set([inflection(word.word)])
  return withInflection(word.stem, keys, tiers, formFiles, null)
}

/* The papers (of `only`, or all) that have `term` as a word `inflection` takes to one
   of `keys`: the typed word or a regular inflection of it. The term's papers are in the
   tiers; which of its words a title or tag name has is read from the text here, and an
   abstract's (split: a title's too) from the forms file, which lists the terms written
   in more than one inflection; any other term has one, its name's. Without that file
   (it could not be loaded, or an early answer came before it), or in the author names,
   the term alone decides */
function withInflection(term, keys, tiers, formFiles, only) {
  const inText = text => lunr.tokenizer(versions(fold(text), true))
    .some(token => keys.has(inflection(token.toString())))
  const named = tiers.map(t => t.words.get(term)).find(Boolean) || term
  /* a term its shard says is written in one inflection: that of its name, no forms read */
  const single = tiers.some(t => t.inflected && t.index.has(term) && !t.inflected.has(term))
  /* whether the paper at place `at` of the term's postings of a field has one of the
     words, from the forms file (its masks follow the postings' order); worked out once
     a field, not once a paper (a tag name's, once a tag: a common word's postings are
     thousands of papers) */
  const inFile = field => {
    if (single) return constant(keys.has(inflection(named)))
    if (!formFiles.length) return constant(true)
    for (const file of formFiles) {
      const forms = (field === "title" ? file.titleForms : file.forms).get(term)
      if (!forms) continue
      const [written, masks] = forms
      const bits = written.map((form, bit) => keys.has(form) ? bit : -1).filter(bit => bit >= 0)
      if (!bits.length) return constant(false)
      if (!masks.length) return constant(true)
      return (doc, at) => bits.some(bit => Math.floor(masks[at] / 2 ** bit) % 2 === 1)
    }
    return constant(keys.has(inflection(named)))
  }
  const tagged = new Map()
  const hasTag = t => {
    if (!tagged.has(t)) tagged.set(t, inText(meta.tags[t].replace(/-/g, " ")))
    return tagged.get(t)
  }
  const hasIn = field => {
    if (field === "abstract") return inFile(field)
    if (field === "title") return meta.papers ? doc => inText(meta.papers[doc][1]) : inFile(field)
    /* split: which of a paper's tags has the word is on its card; any tag name with it */
    if (field === "tags")
      return meta.papers ? doc => meta.papers[doc][2].some(hasTag) : constant(meta.tags.some((_, t) => hasTag(t)))
    return constant(true)
  }
  const out = new Set()
  for (const tier of tiers) {
    const posting = tier.index.posting(term)
    if (!posting) continue
    for (const field of tier.index.fields) {
      if (!posting[field]) continue
      const has = hasIn(field), docs = posting[field].docs
      for (let at = 0; at < docs.length; at++)
        if (!out.has(docs[at]) && (!only || only.has(docs[at])) && has(docs[at], at)) out.add(docs[at])
    }
  }
  return out
}

const constant = value => () => value

/* The papers a typed word found that have it as a word or a regular inflection of it,
   in one of its terms; null (every paper counts) for a word searched otherwise: a
   phrase, a word corrected or completed (the reader did not type it whole) */
function inflectedPapers(w, tiers, formFiles) {
  const word = w.word
  if (!word.keys || w.phrase || w.corrected || w.prefix) return null
  const exact = new Set()
  for (const term of [word.stem, ...word.variants])
    for (const doc of withInflection(term, word.keys, tiers, formFiles, w.found)) exact.add(doc)
  return exact
}

/* Where each term stands in folded text (a title, a tag name), by place, as the build
   counts places in the abstracts (search.py:positions) */
function textPlaces(text) {
  const found = new Map()
  let place = -1, name = "\0", last = "\0"
  for (const token of lunr.tokenizer(versions(text, true))) {
    const word = lunr.trimmer(token)
    if (!word || !word.toString() || lunr.stopWordFilter(word) === undefined) continue
    const w = word.toString()
    if (!samePlace(name, last, w)) {
      place += 1
      name = w
    }
    last = w
    const term = stem(w)
    if (!found.has(term)) found.set(term, [])
    found.get(term).push(place)
  }
  return found
}

/* Where each term stands in a paper's title (tier one's: the split layout has no
   titles up front, its positions files carry their places), and in each of its tags'
   names (hyphens as spaces, as the index has them: a phrase found in a tag name is one
   the page shows in its tag chips) */
function titlePlaces(doc) {
  return textPlaces(fold(meta.papers[doc][1]))
}

const tagNamePlaces = t => textPlaces(fold(meta.tags[t].replace(/-/g, " ")))

function tagPlaces(doc) {
  return meta.papers[doc][2].map(tagNamePlaces)
}

/* The tags whose names have a quoted phrase of the query (the head names every tag):
   split, a paper has the phrase in a tag name when it is in one of these tags' files,
   so the phrase needs those files, not the cards of every paper it might find */
function phraseTags(list) {
  const found = new Set()
  for (const id of new Set(list.filter(w => w.phrase !== null).map(w => w.phrase))) {
    const terms = list.filter(w => w.phrase === id).map(w => w.stem)
    meta.tags.forEach((_, t) => {
      const places = tagNamePlaces(t)
      if (adjacent(terms, term => places.get(term) || [])) found.add(t)
    })
  }
  return [...found]
}

/* The papers of a tag a phrase is in, as a tier-like { tag, papers } (null if its file
   could not be loaded: the phrase is then looked for in titles and abstracts only) */
const phraseTagFiles = new Map()
function tagPapers(t) {
  if (!phraseTagFiles.has(t))
    phraseTagFiles.set(t, filterOf("tag", t).then(papers => ({ tag: t, papers }), err => {
      console.warn(`Search tag ${t} could not be loaded:`, err)
      phraseTagFiles.delete(t) /* asked again by the next query */
      return null
    }))
  return phraseTagFiles.get(t)
}

/* The places of a term in a paper's abstract (or, split, its title: `field`), from a
   loaded positions file (its list follows the term's postings, papers in ascending order) */
function abstractPlaces(doc, term, tiers, places, field = "abstract") {
  for (const file of places) {
    const lists = (field === "title" ? file.titles : file.places).get(term)
    if (!lists) continue
    for (const tier of tiers) {
      const posting = tier.index.posting(term)
      if (!posting || !posting[field]) continue
      const at = placeIn(posting[field].docs, doc)
      if (at >= 0) return lists[at]
    }
  }
  return []
}

/* Where a paper is in a posting's papers (ascending), or -1 */
function placeIn(docs, doc) {
  let lo = 0, hi = docs.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (docs[mid] === doc) return mid
    if (docs[mid] < doc) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/* Whether the terms stand side by side, in this order, somewhere in `where` (term -> places) */
function adjacent(terms, where) {
  const starts = where(terms[0])
  return starts.some(p => terms.every((t, k) => where(t).includes(p + k)))
}

/* Each quoted phrase's words become one unit that finds the papers having them side
   by side, in the title, a tag name or the abstract (`tagged`: split, the papers of
   the tags whose names have a phrase, phraseTags) */
function phrases(words, tiers, places, tagged) {
  const out = []
  for (const w of words) {
    const id = w.word.phrase
    if (id === null) { out.push(w); continue }
    if (out.some(u => u.phrase === id)) continue
    const members = words.filter(m => m.word.phrase === id)
    const terms = members.map(m => m.word.stem)
    const found = new Map()
    for (const [doc] of members[0].found) {
      if (!members.every(m => m.found.has(doc))) continue
      const title = meta.papers ? titlePlaces(doc) : null
      const inTitle = adjacent(terms, t =>
        title ? title.get(t) || [] : abstractPlaces(doc, t, tiers, places, "title"))
      const inTag = meta.papers
        ? tagPlaces(doc).some(tag => adjacent(terms, t => tag.get(t) || []))
        : tagged.some(f => f.papers.has(doc) &&
          adjacent(terms, t => tagNamePlaces(f.tag).get(t) || []))
      if (inTitle || inTag || adjacent(terms, t => abstractPlaces(doc, t, tiers, places)))
        found.set(doc, members.reduce((sum, m) => sum + m.found.get(doc), 0))
    }
    const phrase = members.map(m => m.word.word).join(" ")
    out.push({ word: { word: phrase, stem: terms.join(" "), verbatim: true, phrase: id },
      phrase: id, found, prefix: false, corrected: null, suggested: null })
  }
  return out
}

/* Papers with a term in a tier's index, by field (lunr keeps one posting per field) */
function postings(index, term) {
  const posting = index.posting(term)
  if (!posting) return 0
  let n = 0
  for (const field of index.fields) n += posting[field] ? posting[field].docs.length : 0
  return n
}

/* The tiers a query needs: tier one and each word's shard, and whether all are here.
   A last word shorter than a prefix ("m", "mi") is still being typed: it is matched
   in what is loaded, and fetches nothing */
function tiersFor(list, wait) {
  const files = new Set()
  /* split: a word the head names as common is dropped when the query has a rarer
     word (rank), so its shard, the biggest, is not fetched then */
  const rarer = w => w.phrase !== null || !meta.common || !(w.stem in meta.common)
  const rareFound = list.some(rarer)
  const commons = []
  list.forEach((word, i) => {
    /* ...but it still counts: its file of papers (small: no weights, no other terms) */
    if (rareFound && !rarer(word)) return void commons.push(commonPapers(word.stem))
    const last = i === list.length - 1
    /* A last word of one character is still being typed: it fetches nothing. One of two
       may be whole ("QA", "RL", "T5", "3D") or the start of a longer word ("mi"): it
       fetches its term's shard, one of the small shards of short terms (shardOf) */
    if (last && [...word.word].length < SHORT && !word.verbatim) return
    const prefix = last && !word.verbatim && word.word.length >= MIN_PREFIX
    for (const file of shardsFor(word, prefix)) files.add(file)
  })
  /* an excluded word: its papers (and, once here, which of its term's words each has:
     formsFor) */
  for (const word of list.excluded || [])
    for (const file of shardsFor(word, false)) files.add(file)
  /* a phrase's words: where they stand in each abstract */
  for (const word of list.filter(w => w.phrase !== null))
    for (const file of shardsFor(word, false)) files.add(positionFile(file))
  const promises = [...files].map(shard).concat(commons)
  /* split: the papers of the tags whose names have a quoted phrase */
  const tagFiles = meta.cards ? phraseTags(list).map(tagPapers) : []
  if (wait) return Promise.all([...promises, ...tagFiles]).then(async loaded => {
    const tiers = [first, ...loaded].filter(Boolean)
    const known = [...knownFor(list, tiers), ...formsFor(list, tiers)].map(shard)
    let extra = []
    if (meta.terms) {
      /* split: the shards of the terms a misspelt word would be read as */
      const indexed = tiers.filter(t => t.index)
      const typos = typoFiles(list, indexed, null) || typoFiles(list, indexed, await terms())
      extra = [...(typos || [])].filter(f => !files.has(f)).map(shard)
    }
    const more = await Promise.all([...known, ...extra])
    return [...tiers, ...more.filter(Boolean)]
  })
  const loaded = [...promises, ...tagFiles].map(now)
  const tiers = [first, ...loaded.filter(Boolean)].filter(Boolean)
  if (!loaded.every(t => t !== undefined)) return { tiers, complete: false }
  /* a known word is never corrected, nor a paper counted as having a word before its
     forms are read: no complete answer before its known-words and forms files */
  let complete = true
  for (const file of [...knownFor(list, tiers), ...formsFor(list, tiers)]) {
    const tier = now(shard(file))
    if (tier === undefined) complete = false
    else if (tier) tiers.push(tier)
  }
  if (complete && meta.terms) {
    const indexed = tiers.filter(t => t.index)
    let extra = typoFiles(list, indexed, null)
    if (extra === null) {
      const dict = now(terms())
      extra = dict ? typoFiles(list, indexed, dict) : null
    }
    if (extra === null) complete = false
    else for (const file of extra) {
      if (files.has(file)) continue
      const tier = now(shard(file))
      if (tier === undefined) complete = false
      else if (tier) tiers.push(tier)
    }
  }
  return { tiers, complete }
}

/* The known-words files a query needs, once its shards are here: a word that no term
   has, nor starts (the last word, still being typed), may be misspelt or may be an
   English word the catalogue lacks; the list its place falls in tells which */
function knownFor(list, tiers) {
  const files = new Set()
  list.forEach((word, i) => {
    if (word.verbatim || word.stem.length < TYPO_FROM) return
    const indexed = tiers.filter(t => t.index)
    if (indexed.some(tier => tier.index.has(word.stem))) return
    const prefix = i === list.length - 1 && word.word.length >= MIN_PREFIX
    if (prefix && indexed.some(tier => startingWith(tier, word.word).length)) return
    const file = knownFile(word.stem)
    if (file) files.add(file)
  })
  return [...files]
}

/* The forms files a query needs, once its shards are here: for each word searched as
   typed and each excluded one, the file of each of its terms that its shard says is
   written in more than one inflection (withInflection reads which each paper has); a
   term written one way needs none */
function formsFor(list, tiers) {
  const terms = list.filter(w => w.keys).flatMap(w => [w.stem, ...w.variants])
    .concat((list.excluded || []).map(w => w.stem))
  const files = new Set()
  for (const term of terms)
    for (const tier of tiers)
      if (tier.inflected && tier.inflected.has(term))
        files.add(formsFile(meta.shards[shardOf(term)][1], tier.inflected.get(term)))
  return [...files]
}

function snippetOf(doc) {
  /* split: a snippet not asked for by snippetsFor is not fetched (its file is small,
     one per few results: 100 results would fetch most of them) */
  const number = Math.floor(doc / meta.snippets.per)
  if (meta.cards && !snippetFiles.has(number)) return ""
  const list = now(snippets(number))
  return list ? list[doc % meta.snippets.per] : ""
}

/* Resolves once the snippets of `docs` are loaded, and snippetOf() can read them then:
   each file is peeked with now() first, so its value is noted before this resolves (a
   file first asked here used to resolve before now() knew it: a result came without
   its snippet, now and then) */
function snippetsFor(docs) {
  const numbers = new Set(docs.map(d => Math.floor(d / meta.snippets.per)))
  const loading = [...numbers].map(snippets)
  loading.forEach(now)
  return Promise.all(loading)
}

/* What the reader is told besides the results: words searched instead, words that
   may be misspelt, words left out, and how many papers have every word */
function notes(result) {
  const { words, used, ranked, all } = result
  return {
    corrected: words.filter(w => w.corrected).map(w => ({ from: w.word.word, to: w.corrected })),
    suggested: words.filter(w => w.suggested).map(w => ({ from: w.word.word, to: w.suggested })),
    dropped: words.filter(w => !used.includes(w)).map(w => w.word.word),
    total: ranked.length,
    all,
    words: result.every
  }
}

/* ------------------------------------------------------------------ Material's box */

function tagChips(tags) {
  if (!tags.length) return ""
  const chips = tags.map(t => `<span class="md-tag">${escapeHTML(meta.tags[t])}</span>`)
  return `<div class="md-tags">${chips.join(" ")}</div>`
}

function stemsOf(result) {
  return result.words.flatMap(w =>
    w.phrase ? w.word.stem.split(" ") : w.corrected ? [stem(fold(w.corrected).trim())] : w.prefix ? [w.word.word] : [w.word.stem])
}

/* Which query words a hit has (Material strikes the missing ones out); a word too
   common to find papers by is there if the paper has it */
function termsOf(doc, result) {
  const terms = {}
  for (const w of result.words)
    terms[w.word.word] = result.used.includes(w) ? w.found.has(doc) : !w.has || w.has.has(doc)
  return terms
}

function paperItem(entry, result, stems) {
  const [url, title, tags, , byline] = paperOf(entry.doc)
  return SearchProtocol.item({
    location: url,
    title: highlight(title, stems),
    /* Tags ride in the text, not in Material's `tags`: Material would put each result's
       tags in an unnamed <nav>, one landmark per result that a screen reader lists */
    text: (byline ? `<p class="pc-byline">${highlight(byline, stems)}</p>` : "") +
      `<p>${highlight(snippetOf(entry.doc), stems)}</p>` + tagChips(tags),
    score: entry.score,
    terms: termsOf(entry.doc, result)
  })
}

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

/* Site pages (About, tags, listings) matching the query, grouped by page */
function pageGroups(query) {
  const list = parse(query)
  if (!pages || !list.length) return []
  const hits = pages.query(q => {
    list.forEach((w, i) => {
      q.term(w.word, { usePipeline: true })
      if (i === list.length - 1 && w.word.length >= MIN_PREFIX)
        q.term(w.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING })
    })
  })
  const groups = new Map()
  const terms = Object.fromEntries(list.map(w => [w.word, true]))
  for (const hit of hits) {
    const page = hit.ref.split("#")[0]
    if (!groups.has(page)) groups.set(page, [])
    const doc = pageDocs.get(hit.ref)
    groups.get(page).push(SearchProtocol.item({
      location: doc.location, title: escapeHTML(doc.title), text: doc.text, score: hit.score, terms
    }))
  }
  return [...groups.entries()].map(([page, items]) => {
    if (!items.some(i => i.location === page) && pageDocs.has(page)) {
      const doc = pageDocs.get(page)
      items.unshift(SearchProtocol.item({
        location: page, title: escapeHTML(doc.title), text: "", score: items[0].score, terms: items[0].terms
      }))
    }
    return items
  })
}

/* Material's answer: site pages whose title matches lead, then papers, then the other
   page hits. `keep` is the order of an answer already shown for this query: among
   papers with as many of the words, those stay in the order shown and papers found
   since come below them. Papers with every word still come first (the count says so),
   though a paper the abstracts show has every word moves up past them */
function answer(query, result, keep, most = MAX_RESULTS) {
  let entries = result.ranked
  if (keep) {
    const shown = new Map(keep.map((doc, i) => [doc, i]))
    const place = e => (shown.has(e.doc) ? shown.get(e.doc) : keep.length)
    entries = [...entries].sort((a, b) => b.count - a.count || place(a) - place(b))
  }
  entries = entries.slice(0, most)
  const stems = stemsOf(result)
  const papers = entries.map(e => [paperItem(e, result, stems)])
  const groups = pageGroups(query)
  const wanted = fold(query).trim()
  const strong = groups.filter(g => {
    const page = pageDocs.get(g[0].location.split("#")[0])
    return wanted && page && fold(page.title).includes(wanted)
  })
  const weak = groups.filter(g => !strong.includes(g))
  /* what the header's count says besides the notes: papers in the list, and site pages */
  const shown = { shown: papers.length, pages: groups.length }
  return { data: SearchProtocol.answer([...strong, ...papers, ...weak]), order: entries.map(e => e.doc), shown }
}

/* Answer a query at once from what is loaded. If a shard or snippets it needs are
   still coming, that answer is marked not final and is refined once they are here,
   unless a newer query came meanwhile. The refinement is not waited for: the next
   keystroke is answered at once, from what is loaded by then */
function search(query, reply) {
  const list = available ? parse(query) : []
  /* split: a last word of two characters may be the start of a longer one ("mi" of
     "mixture"): its answer is its first page, whose cards alone are fetched (a hundred
     results' cards at each such keystroke cost more than the query; the count says how
     many there are, and the Search page lists them all) */
  const end = list[list.length - 1]
  const most = meta.cards && end && !end.verbatim && [...end.word].length <= SHORT
    ? SNIPPETS_SHOWN : MAX_RESULTS
  const ready = tiersFor(list, false)
  /* split (cards): no early answer from part of the index, nor a fetch for its papers */
  let early = null, final = false
  if (!meta.cards || ready.complete) {
    const result = rank(list, ready.tiers, ready.complete)
    const top = result.ranked.slice(0, SNIPPETS_SHOWN).map(e => e.doc)
    const snippetsReady = top.every(d => now(snippets(Math.floor(d / meta.snippets.per))) !== undefined)
    final = ready.complete && snippetsReady &&
      cardsReady(result.ranked.slice(0, most).map(e => e.doc))
    if (final || !meta.cards) {
      early = answer(query, result, null, most)
      reply({ ...early.data, notes: { ...notes(result), ...early.shown } }, final)
    }
  }
  if (final) return
  ;(async () => {
    const tiers = await tiersFor(list, true)
    if (query !== newest) return /* overtaken: the newer query's answer follows */
    const refined = rank(list, tiers)
    const docs = refined.ranked.slice(0, SNIPPETS_SHOWN).map(e => e.doc)
    const shown = early ? early.order : []
    await Promise.all([snippetsFor(docs.concat(shown.slice(0, SNIPPETS_SHOWN))), cardsFor(docs)])
    const listed = refined.ranked.slice(0, most).map(e => e.doc)
    /* split: the first page of results as soon as its cards are here, the rest after
       (not for a query overtaken meanwhile: its 100 results would cost 100 files) */
    if (query !== newest) return
    if (meta.cards && !cardsReady(listed)) {
      const page = answer(query, refined, null, SNIPPETS_SHOWN)
      reply({ ...page.data, notes: { ...notes(refined), ...page.shown } }, false)
    }
    await cardsFor(listed)
    if (query !== newest) return
    const refinedAnswer = answer(query, refined, early && early.order, most)
    reply({ ...refinedAnswer.data, notes: { ...notes(refined), ...refinedAnswer.shown } }, true)
  })().catch(err => {
    console.warn(`Search failed for ${query}:`, err)
    if (query === newest) reply({ ...SearchProtocol.answer([]), notes: null }, true)
  })
}

/* The browse page: a query and/or filters, full records back, `limit` of them from
   `offset` on. Filters: every tag of `tags` (or the one `tag`), the listing, the year
   (the date's first four figures) */
async function find({ query, tag, tags: wanted, listing, year, limit, offset }) {
  const tagIndexes = (wanted || (tag ? [tag] : [])).map(t => meta.tags.indexOf(t))
  const listingIndex = listing ? meta.listings.findIndex(l => l.name === listing) : -1
  /* split: each filter's papers come from its file, not from every paper's card */
  const none = new Set()
  const filters = meta.cards && await Promise.all([
    ...tagIndexes.map(t => (t < 0 ? none : filterOf("tag", t))),
    ...(listing ? [listingIndex < 0 ? none : filterOf("listing", listingIndex)] : []),
    ...(year ? [meta.years.includes(String(year)) ? filterOf("year", year) : none] : [])
  ])
  const keep = filters ? i => filters.every(f => f.has(i)) : i => {
    const [, , tags, listings, , date] = meta.papers[i]
    return tagIndexes.every(t => tags.includes(t)) &&
      (!listing || listings.includes(listingIndex)) &&
      (!year || String(date || "").slice(0, 4) === String(year))
  }
  const list = available && query ? parse(query) : []
  let entries, result = null
  if (list.length) {
    result = rank(list, await tiersFor(list, true))
    entries = result.ranked.filter(e => keep(e.doc))
  } else if (meta.cards) {
    /* split: papers are numbered A–Z at build time */
    entries = Array.from({ length: paperCount() }, (_, doc) => ({ doc, score: 0, count: 0 }))
      .filter(e => keep(e.doc))
  } else {
    entries = meta.papers.map((_, doc) => ({ doc, score: 0, count: 0 })).filter(e => keep(e.doc))
    entries.sort((a, b) => meta.papers[a.doc][1].localeCompare(meta.papers[b.doc][1]))
  }
  const from = offset || 0
  const shown = entries.slice(from, from + (limit || MAX_RESULTS))
  await snippetsFor(shown.map(e => e.doc))
  await cardsFor(shown.map(e => e.doc))
  const stems = result ? stemsOf(result) : []
  const most = result ? result.every : 0
  return {
    total: entries.length,
    offset: from,
    all: most ? entries.filter(e => e.count === most).length : entries.length,
    notes: result ? notes(result) : null,
    items: shown.map(({ doc, score }) => {
      const [url, title, tags, listings, byline, date] = paperOf(doc)
      return {
        url, score, date: date || "",
        title: highlight(title, stems),
        byline: byline ? highlight(byline, stems) : "",
        snippet: highlight(snippetOf(doc), stems),
        tags: tags.map(t => meta.tags[t]),
        listings: listings.map(l => meta.listings[l].name)
      }
    })
  }
}

/* Queries are answered one at a time, in order; one overtaken by a newer query before
   its turn is not answered (Material shows only the newest answer) */
let queue = Promise.resolve()
let newest = null

addEventListener("message", ev => {
  const message = ev.data
  const asked = SearchProtocol.read(message)
  switch (asked ? ("setup" in asked ? "setup" : "query") : message.type) {
    case "setup":
      setupPages(asked.setup)
      papersLoaded.then(() => postMessage(SearchProtocol.ready()))
      break
    case "query": {
      const query = asked.query
      newest = query
      queue = queue.then(async () => {
        await papersLoaded
        if (query !== newest) return
        /* Each answer names the query it answers and whether more is coming (Material
           ignores the extra keys): answers to earlier keystrokes, and a first answer
           refined later, can be told from the last word */
        const reply = (data, final) => postMessage(SearchProtocol.result(data, { query, final }))
        try {
          search(query, reply)
        } catch (err) {
          console.warn(`Search failed for ${query}:`, err)
          reply({ ...SearchProtocol.answer([]), notes: null }, true)
        }
      })
      break
    }
    case "find":
      queue = queue.then(async () => {
        await papersLoaded
        let found
        try {
          found = await find(message)
        } catch (err) {
          console.warn(`Search failed for ${message.query}:`, err)
          found = { total: 0, offset: 0, all: 0, notes: null, items: [] }
        }
        postMessage({
          type: "found", id: message.id, ...found,
          vocabulary: {
            tags: meta.tags, listings: meta.listings,
            tagUrls: urls.tags, listingUrls: urls.listings || {}
          }
        })
      })
      break
  }
})
