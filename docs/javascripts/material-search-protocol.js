/*
 * The search worker's side of Material for MkDocs 9.x's search protocol.
 *
 * Material's search box starts the worker named by the "search" key of its config
 * (overrides/main.html) and talks to it in messages:
 *
 *   box -> worker  { type: SETUP, data: { config, docs, options } }   once; docs are the
 *                  site's pages and sections: { location, title, text } (text is HTML)
 *   worker -> box  { type: READY }                                     when it can answer
 *   box -> worker  { type: QUERY, data: "the query" }                  each keystroke
 *   worker -> box  { type: RESULT, data: { items: [group, ...] } }     an answer
 *
 * A group is one page's results, the page first, then its sections; each result is
 * { location, title, text, score, terms }: title and text are HTML, `terms` maps each
 * query word to whether the result has it (Material strikes the missing ones out).
 * Material ignores keys it does not know, so an answer and a message may carry more.
 *
 * Everything the worker (paper-search-worker.js, which loads this file with
 * importScripts: same origin, so `worker-src 'self'` and `script-src 'self'` allow it)
 * knows of Material's protocol is here. Another search UI (a successor's) gets a file
 * of its own beside this one that defines the same `SearchProtocol`, and the worker
 * loads that one instead. (The page-side notes, search-notes.js, read RESULT answers
 * as Material's box does.)
 */
"use strict"

const SearchProtocol = (() => {
  /* Material's message types */
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

  return Object.freeze({
    name: "material-9",

    /* What a message from the search box asks, or null if it is not the box's:
       { setup: docs } (the site's pages: { location, title, text }) or { query } */
    read(message) {
      if (!message) return null
      if (message.type === SETUP) return { setup: (message.data && message.data.docs) || [] }
      if (message.type === QUERY) return { query: message.data }
      return null
    },

    /* The answer to SETUP */
    ready() {
      return { type: READY }
    },

    /* One result (title and text are HTML) */
    item({ location, title, text, score, terms }) {
      return { location, title, text, score, terms }
    },

    /* An answer's data: groups of results (each a list: a page, then its sections) */
    answer(groups) {
      return { items: groups }
    },

    /* The message that carries an answer's data to the box; `extra` keys ride along */
    result(data, extra) {
      return { type: RESULT, data, ...extra }
    }
  })
})()
